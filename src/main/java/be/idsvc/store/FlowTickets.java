package be.idsvc.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import be.idsvc.core.AuthorizationRequest;
import be.idsvc.core.Scopes;
import be.idsvc.core.Secrets;

/**
 * The flow's non-secret progress, carried by the browser (DESIGN §5): the validated authorization
 * request, a random flow id and an expiry, sealed with AES-256-GCM into the {@code flow=} parameter
 * of the pages. The key is an HMAC of the service's flow key and the browser's cookie secret, so a
 * ticket opens only in the browser that started the flow, and only this service can make or alter
 * one. Starting a flow therefore writes nothing to the store: an anonymous GET /authorize costs
 * CPU, never disk. What must be single-use (the decision, the challenge) stays in the store, keyed
 * by the flow id.
 */
public final class FlowTickets {
    private static final String PURPOSE = "flow-ticket-v1";
    private static final byte VERSION = 1;
    /** More than any ticket this service issues (state ≤ 1024, nonce ≤ 512 characters); junk is refused before decoding. */
    static final int MAX_TICKET_CHARS = 24_000;
    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]+");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final byte[] key;

    /** @param flowKey the service's secret for tickets, the same on every deployment and node */
    public FlowTickets(byte[] flowKey) {
        if (flowKey.length < 32) throw new IllegalArgumentException("a flow key has at least 32 bytes");
        this.key = flowKey.clone();
    }

    /** A flow that opened: the id is what the store knows it by. */
    public record Ticket(String value, String flowId, AuthorizationRequest request, long expiresAt) {}

    /** What opening a ticket found; {@link Status#EXPIRED} only for a genuine ticket of this browser. */
    public record Opened(Status status, Ticket ticket) {
        public enum Status { VALID, EXPIRED, INVALID }

        static final Opened INVALID = new Opened(Status.INVALID, null);
    }

    public Ticket issue(AuthorizationRequest request, String browserSecret, long expiresAt) {
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        String flowId = B64.encodeToString(id);
        byte[] sealed = Sealer.seal(browserKey(browserSecret), PURPOSE, encode(flowId, request, expiresAt));
        return new Ticket(B64.encodeToString(sealed), flowId, request, expiresAt);
    }

    /** Never throws for anything a browser sends: a forged, tampered or foreign ticket is INVALID. */
    public Opened open(String ticket, String browserSecret, long now) {
        if (ticket == null || browserSecret == null || ticket.length() > MAX_TICKET_CHARS || !BASE64URL.matcher(ticket).matches()) {
            return Opened.INVALID;
        }
        byte[] plain;
        try {
            plain = Sealer.open(browserKey(browserSecret), PURPOSE, Base64.getUrlDecoder().decode(ticket));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return Opened.INVALID;
        }
        Ticket t = decode(ticket, plain);
        return new Opened(t.expiresAt() <= now ? Opened.Status.EXPIRED : Opened.Status.VALID, t);
    }

    private String browserKey(String browserSecret) {
        return Secrets.base64Url(Secrets.hmacSha256(key, ("browser:" + browserSecret).getBytes(StandardCharsets.US_ASCII)));
    }

    /** Compact and exact: modified UTF-8 takes at most three bytes per character, JSON escapes took six. */
    private static byte[] encode(String flowId, AuthorizationRequest r, long expiresAt) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(VERSION);
            out.writeUTF(flowId);
            out.writeLong(expiresAt);
            out.writeUTF(r.clientId());
            out.writeUTF(r.redirectUri());
            out.writeUTF(Scopes.format(r.scopes()));
            optional(out, r.state());
            optional(out, r.nonce());
            out.writeUTF(r.codeChallenge());
            out.writeUTF(String.join(" ", r.prompt()));
            out.writeInt(r.maxAge());
            out.writeUTF(String.join(" ", r.uiLocales()));
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("a validated request does not fit a ticket", e);
        }
    }

    private static Ticket decode(String value, byte[] plain) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(plain));
            if (in.readByte() != VERSION) throw new IOException("unknown ticket version");
            String flowId = in.readUTF();
            long expiresAt = in.readLong();
            String clientId = in.readUTF();
            String redirectUri = in.readUTF();
            String scope = in.readUTF();
            String state = optional(in);
            String nonce = optional(in);
            String challenge = in.readUTF();
            String prompt = in.readUTF();
            int maxAge = in.readInt();
            String locales = in.readUTF();
            AuthorizationRequest r = new AuthorizationRequest(clientId, redirectUri, Scopes.parse(scope), state, nonce, challenge,
                    prompt.isEmpty() ? Set.of() : Set.of(prompt.split(" ")), maxAge,
                    locales.isEmpty() ? List.of() : List.of(locales.split(" ")));
            return new Ticket(value, flowId, r, expiresAt);
        } catch (IOException | IllegalArgumentException e) {
            // it authenticated, so only this service wrote it: a bug, not an attack
            throw new IllegalStateException("a sealed flow ticket does not decode", e);
        }
    }

    private static void optional(DataOutputStream out, String v) throws IOException {
        out.writeBoolean(v != null);
        if (v != null) out.writeUTF(v);
    }

    private static String optional(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
