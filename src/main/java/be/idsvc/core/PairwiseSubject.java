package be.idsvc.core;

import java.nio.charset.StandardCharsets;

/**
 * The pairwise {@code sub} (OIDC Core §8.1): a keyed hash of the client's sector and the national
 * number. Stable for one sector, unlinkable across sectors without the key.
 */
public final class PairwiseSubject {
    private final byte[] key;

    public PairwiseSubject(byte[] key) {
        if (key.length < 32) throw new IllegalArgumentException("pairwise key must have at least 256 bits");
        this.key = key.clone();
    }

    public String subject(String sectorIdentifier, String nationalNumber) {
        // The separator keeps ("a", "bc") and ("ab", "c") apart.
        byte[] input = (sectorIdentifier + "\n" + nationalNumber).getBytes(StandardCharsets.UTF_8);
        return Secrets.base64Url(Secrets.hmacSha256(key, input));
    }
}
