package be.idsvc.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.regex.Pattern;

/** RFC 7636 with the S256 method only (plain offers no protection once the request is seen). */
public final class Pkce {
    private Pkce() {}

    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9\\-._~]{43,128}");
    /** A S256 challenge is the unpadded base64url of 32 bytes: exactly 43 characters. */
    private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9\\-_]{43}");

    public static boolean isWellFormedChallenge(String challenge) {
        return challenge != null && CHALLENGE.matcher(challenge).matches();
    }

    public static boolean isWellFormedVerifier(String verifier) {
        return verifier != null && VERIFIER.matcher(verifier).matches();
    }

    public static String s256(String verifier) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                Secrets.sha256(verifier.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Constant-time comparison: the verifier must hash to the challenge. */
    public static boolean matches(String verifier, String challenge) {
        if (!isWellFormedVerifier(verifier) || challenge == null) return false;
        return MessageDigest.isEqual(s256(verifier).getBytes(StandardCharsets.US_ASCII),
                challenge.getBytes(StandardCharsets.US_ASCII));
    }
}
