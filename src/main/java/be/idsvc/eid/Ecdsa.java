package be.idsvc.eid;

import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * ECDSA verification for the readout: the card files' RRN signatures, the challenge signature and
 * the EC certificates on the way to a citizen CA anchor.
 *
 * <p>Bouncy Castle's provider, because modern cards are P-384 throughout and the JDK's P-384
 * arithmetic is its generic one (P-256 has a dedicated implementation): one P-384 verification
 * costs about 3.3 ms of CPU with the JDK and 1.3 ms with Bouncy Castle 1.87 (Java 25, this
 * project's machine; BENCHMARKS.md), and a P-384 card needs four. The provider instance is used
 * directly, never registered with {@code java.security.Security}, so nothing else in the server
 * changes provider. Both providers reject non-canonical DER and out-of-range r or s.
 */
final class Ecdsa {
    private static final Provider BOUNCY_CASTLE = new BouncyCastleProvider();

    private Ecdsa() {}

    /** A verifier for DER-encoded signatures, e.g. {@code SHA384withECDSA}. */
    static Signature der(String hash) throws GeneralSecurityException {
        return Signature.getInstance(hash + "withECDSA", BOUNCY_CASTLE);
    }

    /** A verifier for plain r||s signatures (IEEE P1363), as some card middleware returns them. */
    static Signature plain(String hash) throws GeneralSecurityException {
        return Signature.getInstance(hash + "withPLAIN-ECDSA", BOUNCY_CASTLE);
    }

    /** Checks an ECDSA-signed certificate's signature with {@code key}; throws when it does not verify. */
    static void verifyCertificate(X509Certificate cert, PublicKey key) throws GeneralSecurityException {
        cert.verify(key, BOUNCY_CASTLE);
    }
}
