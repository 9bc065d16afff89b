package be.idsvc.admin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

import be.idsvc.pki.Pem;

/** Certificate reading and description for the admin commands. */
final class Certificates {
    private Certificates() {}

    /** The certificates of a PEM file (first = the subject's own); any problem is a one-line AdminException. */
    static List<X509Certificate> read(Path file) {
        if (!Files.isRegularFile(file)) throw new AdminException(file + ": no such file");
        try {
            return Pem.certificates(file);
        } catch (Pem.PemException e) {
            throw new AdminException(file + ": " + e.getMessage());
        }
    }

    static boolean isCa(X509Certificate c) {
        return c.getBasicConstraints() >= 0;
    }

    static Instant notAfter(X509Certificate c) {
        return c.getNotAfter().toInstant();
    }

    static String subject(X509Certificate c) {
        return c.getSubjectX500Principal().getName();
    }

    static String issuer(X509Certificate c) {
        return c.getIssuerX500Principal().getName();
    }

    static List<String> dnsNames(X509Certificate c) {
        try {
            Collection<List<?>> sans = c.getSubjectAlternativeNames();
            if (sans == null) return List.of();
            return sans.stream().filter(s -> Integer.valueOf(2).equals(s.get(0))).map(s -> (String) s.get(1)).toList();
        } catch (java.security.cert.CertificateParsingException e) {
            return List.of();
        }
    }

    /** The four lines pin add, client show and ca add print. */
    static String describe(X509Certificate c, String indent) {
        return indent + "subject:   " + subject(c) + "\n"
                + indent + "issuer:    " + issuer(c) + "\n"
                + indent + "not after: " + notAfter(c) + "\n"
                + indent + "x5t#S256:  " + AdminHome.x5t(c) + "\n";
    }
}
