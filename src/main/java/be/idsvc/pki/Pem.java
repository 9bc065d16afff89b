package be.idsvc.pki;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/**
 * Reads and writes PEM files: certificates and unencrypted private keys. Anything else found where
 * a certificate (or key) is expected is an error with a message a person can act on.
 */
public final class Pem {
    private Pem() {}

    /** Every certificate in the PEM text, in order; fails if there is none or if anything else is found. */
    public static List<X509Certificate> certificates(String pem) {
        List<X509Certificate> out = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object o;
            while ((o = parser.readObject()) != null) {
                if (!(o instanceof X509CertificateHolder holder)) {
                    throw new PemException("expected a certificate, found " + describe(o));
                }
                out.add(toX509(holder.getEncoded()));
            }
        } catch (IOException e) {
            throw new PemException("not readable as PEM: " + e.getMessage());
        }
        if (out.isEmpty()) throw new PemException("no PEM certificate found");
        return out;
    }

    public static List<X509Certificate> certificates(Path file) {
        return certificates(read(file));
    }

    /** The private key in the PEM text (PKCS#8 or traditional form); fails on anything else. */
    public static PrivateKey privateKey(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object o = parser.readObject();
            PrivateKeyInfo info;
            if (o instanceof PrivateKeyInfo pki) info = pki;
            else if (o instanceof PEMKeyPair pair) info = pair.getPrivateKeyInfo();
            else throw new PemException("expected an unencrypted private key, found " + describe(o));
            String alg = info.getPrivateKeyAlgorithm().getAlgorithm().getId().equals("1.2.840.10045.2.1") ? "EC" : "RSA";
            return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        } catch (PemException e) {
            throw e;
        } catch (Exception e) {
            throw new PemException("private key not readable: " + e.getMessage());
        }
    }

    public static PrivateKey privateKey(Path file) {
        return privateKey(read(file));
    }

    /** PEM text of certificates or keys (keys are written as PKCS#8). */
    public static String encode(Object... objects) {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            for (Object o : objects) {
                if (o instanceof PrivateKey k) {
                    w.writeObject(new org.bouncycastle.util.io.pem.PemObject("PRIVATE KEY", k.getEncoded()));
                } else {
                    w.writeObject(o);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sw.toString();
    }

    public static X509Certificate toX509(byte[] der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new PemException("not an X.509 certificate: " + e.getMessage());
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new PemException("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static String describe(Object o) {
        if (o == null) return "nothing";
        if (o instanceof PrivateKeyInfo || o instanceof PEMKeyPair) return "a private key";
        return o.getClass().getSimpleName();
    }

    /** A PEM input that is not what the caller expected. The message is safe to show. */
    public static final class PemException extends RuntimeException {
        public PemException(String message) {
            super(message);
        }
    }
}
