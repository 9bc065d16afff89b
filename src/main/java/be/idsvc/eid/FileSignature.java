package be.idsvc.eid;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;

import javax.crypto.Cipher;

/**
 * Checks the National Register's signatures on the card files.
 *
 * <p>RSA: PKCS#1 v1.5 with SHA-1 (older cards) or SHA-256 (and SHA-384/512 should they come). The
 * signature is opened once with the public key and the hash named by the DigestInfo inside it is
 * used, instead of trying each hash in turn: one RSA operation instead of two on SHA-1 cards. The
 * whole DigestInfo is then compared byte for byte with the expected encoding, so there is no
 * lenient ASN.1 parsing of signature contents to exploit.
 *
 * <p>EC (P-384): ECDSA with SHA-384; the file holds the DER signature followed by zero padding, its
 * real length being 2 + the second byte.
 */
final class FileSignature {
    private static final byte[] SHA1_PREFIX = hex("3021300906052b0e03021a05000414");
    private static final byte[] SHA256_PREFIX = hex("3031300d060960864801650304020105000420");
    private static final byte[] SHA384_PREFIX = hex("3041300d060960864801650304020205000430");
    private static final byte[] SHA512_PREFIX = hex("3051300d060960864801650304020305000440");

    private FileSignature() {}

    /** True if {@code signatureFile} is a valid signature by {@code key} over the concatenated parts. */
    static boolean verify(PublicKey key, byte[] signatureFile, byte[]... parts) {
        if (key instanceof RSAPublicKey rsa) return verifyRsa(rsa, signatureFile, parts);
        if (key instanceof ECPublicKey ec) return verifyEc(ec, signatureFile, parts);
        return false;
    }

    static boolean supported(PublicKey key) {
        return key instanceof RSAPublicKey || key instanceof ECPublicKey;
    }

    private static boolean verifyRsa(RSAPublicKey key, byte[] signatureFile, byte[][] parts) {
        int modulusBytes = (key.getModulus().bitLength() + 7) / 8;
        if (signatureFile.length < modulusBytes || !zeroFrom(signatureFile, modulusBytes)) return false;
        byte[] digestInfo;
        try {
            Cipher rsa = Cipher.getInstance("RSA/ECB/PKCS1Padding");
            rsa.init(Cipher.DECRYPT_MODE, key); // with a public key: PKCS#1 type 1, i.e. signature opening
            digestInfo = rsa.doFinal(signatureFile, 0, modulusBytes);
        } catch (GeneralSecurityException e) {
            return false;
        }
        String hash;
        byte[] prefix;
        if (startsWith(digestInfo, SHA256_PREFIX)) { hash = "SHA-256"; prefix = SHA256_PREFIX; }
        else if (startsWith(digestInfo, SHA1_PREFIX)) { hash = "SHA-1"; prefix = SHA1_PREFIX; }
        else if (startsWith(digestInfo, SHA384_PREFIX)) { hash = "SHA-384"; prefix = SHA384_PREFIX; }
        else if (startsWith(digestInfo, SHA512_PREFIX)) { hash = "SHA-512"; prefix = SHA512_PREFIX; }
        else return false;
        byte[] digest = digest(hash, parts);
        return digestInfo.length == prefix.length + digest.length
                && MessageDigest.isEqual(Arrays.copyOfRange(digestInfo, prefix.length, digestInfo.length), digest);
    }

    private static boolean verifyEc(ECPublicKey key, byte[] signatureFile, byte[][] parts) {
        int length = derSignatureLength(signatureFile);
        if (length < 0) return false;
        try {
            Signature s = Ecdsa.der(ecdsaHashFor(key));
            s.initVerify(key);
            for (byte[] p : parts) s.update(p);
            return s.verify(signatureFile, 0, length);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** Real length of a zero-padded DER ECDSA signature (2 + second byte), or -1. */
    static int derSignatureLength(byte[] file) {
        if (file.length < 2 || file[0] != 0x30 || (file[1] & 0x80) != 0) return -1;
        int length = 2 + (file[1] & 0xff);
        return length <= file.length && zeroFrom(file, length) ? length : -1;
    }

    /** The card's RRN keys are P-384 with SHA-384; smaller or larger curves get the matching hash. */
    private static String ecdsaHashFor(ECPublicKey key) {
        int bits = key.getParams().getCurve().getField().getFieldSize();
        return bits <= 256 ? "SHA256" : bits <= 384 ? "SHA384" : "SHA512";
    }

    static byte[] digest(String algorithm, byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance(algorithm);
            for (byte[] p : parts) md.update(p);
            return md.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " missing from the JDK", e);
        }
    }

    private static boolean zeroFrom(byte[] b, int from) {
        int acc = 0;
        for (int i = from; i < b.length; i++) acc |= b[i];
        return acc == 0;
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        return b.length >= prefix.length && Arrays.equals(b, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static byte[] hex(String s) {
        return java.util.HexFormat.of().parseHex(s);
    }
}
