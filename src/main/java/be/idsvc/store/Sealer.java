package be.idsvc.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import be.idsvc.core.Secrets;

/**
 * Encrypts personal data at rest with a key derived from the handle (code, token, flow secret) that
 * refers to it (DESIGN §5). The store keeps only the handle's hash, so a copy of the database opens
 * nothing. AES-256-GCM; the key is HKDF-SHA256 of the handle; the associated data binds a sealed
 * value to its purpose so a blob cannot be moved from one kind of record to another.
 */
public final class Sealer {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] SALT = "idsvc-seal-v1".getBytes(StandardCharsets.US_ASCII);
    private static final int IV_LENGTH = 12;

    private Sealer() {}

    public static byte[] seal(String handle, String purpose, byte[] plaintext) {
        try {
            byte[] iv = new byte[IV_LENGTH];
            RANDOM.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key(handle, purpose), new GCMParameterSpec(128, iv));
            c.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
            byte[] ct = c.doFinal(plaintext);
            return ByteBuffer.allocate(IV_LENGTH + ct.length).put(iv).put(ct).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** The plaintext; fails if the handle or purpose is wrong or the blob was altered. */
    public static byte[] open(String handle, String purpose, byte[] sealed) throws GeneralSecurityException {
        if (sealed.length <= IV_LENGTH) throw new GeneralSecurityException("sealed value too short");
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, key(handle, purpose), new GCMParameterSpec(128, sealed, 0, IV_LENGTH));
        c.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
        return c.doFinal(sealed, IV_LENGTH, sealed.length - IV_LENGTH);
    }

    /** HKDF (RFC 5869) with one output block: 32 bytes. */
    private static SecretKeySpec key(String handle, String purpose) {
        byte[] prk = Secrets.hmacSha256(SALT, handle.getBytes(StandardCharsets.UTF_8));
        byte[] info = (purpose + "\u0001").getBytes(StandardCharsets.UTF_8);
        return new SecretKeySpec(Secrets.hmacSha256(prk, info), "AES");
    }
}
