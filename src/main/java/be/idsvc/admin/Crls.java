package be.idsvc.admin;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;

/** Reads X.509 CRLs, DER or PEM, with messages a person can act on. */
final class Crls {
    private Crls() {}

    static X509CRL parse(byte[] bytes) {
        byte[] der = bytes;
        String text = new String(bytes, StandardCharsets.US_ASCII);
        if (text.contains("-----BEGIN ")) {
            try (PEMParser p = new PEMParser(new StringReader(text))) {
                Object o = p.readObject();
                if (o instanceof X509CRLHolder h) {
                    der = h.getEncoded();
                } else {
                    String found = o instanceof X509CertificateHolder ? "a certificate"
                            : o instanceof PrivateKeyInfo || o instanceof PEMKeyPair ? "a private key"
                            : o == null ? "nothing readable" : o.getClass().getSimpleName();
                    throw new AdminException("expected an X.509 CRL, found " + found);
                }
            } catch (IOException e) {
                throw new AdminException("not readable as PEM: " + e.getMessage());
            }
        }
        try {
            return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
        } catch (CRLException | CertificateException | RuntimeException e) {
            throw new AdminException("not an X.509 CRL (DER or PEM)");
        }
    }
}
