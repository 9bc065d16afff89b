package be.idsvc.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import be.idsvc.core.Secrets;

/**
 * The challenge a card signs on the readout page, made without a write: 12 random bytes, the
 * issue time (4 bytes, epoch seconds) and a 16-byte MAC over both and the flow id, keyed by the
 * service's challenge key. Any node can check it; showing the readout page stores nothing. It is
 * recorded as used only when a readout presents it, in a table whose rows expire with the
 * challenge, so it is single-use across the cluster and the table holds at most what people
 * actually posted in the last few minutes.
 */
public final class ReadoutChallenges {
    /** How long a challenge may wait for its card. */
    public static final long TTL_SECONDS = 300;
    /** Clock difference tolerated between the node that issued a challenge and the one that checks it. */
    public static final long SKEW_SECONDS = 30;
    private static final int RANDOM_BYTES = 12;
    private static final int MAC_BYTES = 16;
    private static final byte[] LABEL = "idsvc readout challenge v1\u0000".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key;
    private final FlowStore store;

    public ReadoutChallenges(byte[] challengeKey, FlowStore store) {
        if (challengeKey.length < 32) throw new IllegalArgumentException("a challenge key has at least 32 bytes");
        this.key = challengeKey.clone();
        this.store = store;
    }

    /** A fresh challenge for this flow: 32 bytes, base64url without padding. */
    public String issue(String flowId, long now) {
        ByteBuffer b = ByteBuffer.allocate(RANDOM_BYTES + 4 + MAC_BYTES);
        byte[] random = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(random);
        b.put(random).putInt((int) now);
        b.put(mac(flowId, Arrays.copyOf(b.array(), RANDOM_BYTES + 4)));
        return Secrets.base64Url(b.array());
    }

    /**
     * Uses the challenge up: true for exactly one caller, and only for a challenge this service
     * issued for this flow that has not expired. Only then is anything written.
     */
    public boolean consume(String flowId, String challenge, long now) {
        Long issuedAt = issuedAt(flowId, challenge);
        if (issuedAt == null) return false;
        if (issuedAt > now + SKEW_SECONDS || now >= issuedAt + TTL_SECONDS + SKEW_SECONDS) return false;
        // kept until no node, even one whose clock is SKEW behind the purging node's, still accepts it
        return store.recordChallengeUse(challenge, issuedAt + TTL_SECONDS + 2 * SKEW_SECONDS);
    }

    /** The issue time of a genuine challenge of this flow, else null. */
    Long issuedAt(String flowId, String challenge) {
        if (flowId == null || challenge == null || challenge.length() != 43) return null;
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(challenge);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (raw.length != RANDOM_BYTES + 4 + MAC_BYTES) return null;
        byte[] signed = Arrays.copyOf(raw, RANDOM_BYTES + 4);
        byte[] mac = Arrays.copyOfRange(raw, RANDOM_BYTES + 4, raw.length);
        if (!MessageDigest.isEqual(mac, mac(flowId, signed))) return null;
        return ByteBuffer.wrap(raw, RANDOM_BYTES, 4).getInt() & 0xFFFF_FFFFL;
    }

    private byte[] mac(String flowId, byte[] randomAndTime) {
        byte[] flow = flowId.getBytes(StandardCharsets.UTF_8);
        byte[] data = ByteBuffer.allocate(LABEL.length + 2 + flow.length + randomAndTime.length)
                .put(LABEL).putShort((short) flow.length).put(flow).put(randomAndTime).array();
        return Arrays.copyOf(Secrets.hmacSha256(key, data), MAC_BYTES);
    }
}
