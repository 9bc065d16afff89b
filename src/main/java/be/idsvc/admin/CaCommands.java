package be.idsvc.admin;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

import be.idsvc.admin.AdminHome.ClientFile;
import be.idsvc.config.AtomicFiles;
import be.idsvc.core.ClientAuthMethod;
import be.idsvc.pki.Pem;

/** {@code ca add|list|remove} and {@code crl import}. */
final class CaCommands {
    private final AdminHome home;
    private final PrintStream out;

    CaCommands(AdminHome home, PrintStream out) {
        this.home = home;
        this.out = out;
    }

    void add(Args a) {
        a.operands("FILE.pem");
        home.requireIntact();
        Path file = Path.of(a.operand(0));
        List<X509Certificate> certs = Certificates.read(file);
        if (certs.size() != 1) throw new AdminException(file + " holds " + certs.size() + " certificates; give one CA certificate per file");
        X509Certificate ca = certs.get(0);
        if (!Certificates.isCa(ca)) {
            throw new AdminException(file + " holds no CA certificate (" + Certificates.subject(ca)
                    + " has no basicConstraints CA=true); a client's own certificate is pinned with: idsvc pin add");
        }
        if (Certificates.notAfter(ca).isBefore(home.now())) {
            throw new AdminException(file + ": the CA certificate expired on " + Certificates.notAfter(ca));
        }
        String name = a.option("--name") != null ? a.option("--name") : defaultName(ca);
        if (!AdminHome.CA_NAME.matcher(name).matches()) {
            throw new AdminException("malformed CA name '" + name + "': use 1 to 64 of a-z 0-9 . _ - (starting with a letter or digit)");
        }
        String x5t = AdminHome.x5t(ca);
        for (Map.Entry<String, List<X509Certificate>> e : home.cas().entrySet()) {
            for (X509Certificate c : e.getValue()) {
                if (AdminHome.x5t(c).equals(x5t)) throw new AdminException("this CA is already trusted as '" + e.getKey() + "'");
            }
        }
        if (Files.exists(home.caFile(name))) throw new AdminException("a CA named '" + name + "' already exists (trust/client-ca/" + name + ".pem)");

        AtomicFiles.write(home.caFile(name), Pem.encode(ca).getBytes(StandardCharsets.US_ASCII), false);
        boolean reload = home.regenerateTruststore();
        home.audit("ca add", "ca=" + name + " x5t=" + x5t);
        out.println("trusted CA " + name + " (trust/client-ca/" + name + ".pem):");
        out.print(Certificates.describe(ca, "  "));
        if (!home.hasCrlFrom(ca) && home.onlineRevocation() == null) {
            out.println("  no revocation configured: import its CRL with: idsvc crl import FILE");
        }
        if (reload) out.println(AdminHome.TRUSTSTORE_CHANGED);
    }

    /** A file name from the CA's CN (else its whole DN): lower case, other characters as '-'. */
    static String defaultName(X509Certificate ca) {
        String dn = ca.getSubjectX500Principal().getName();
        String base = dn;
        try {
            for (Rdn rdn : new LdapName(dn).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) base = rdn.getValue().toString();
            }
        } catch (InvalidNameException e) {
            // use the DN
        }
        String n = base.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("^[-._]+|-+$", "");
        if (n.length() > 64) n = n.substring(0, 64);
        return n.isEmpty() ? "ca" : n;
    }

    void list(Args a) {
        a.operands();
        Map<String, List<X509Certificate>> cas = home.cas();
        if (cas.isEmpty()) out.println("no client CAs");
        String online = home.onlineRevocation();
        for (Map.Entry<String, List<X509Certificate>> e : cas.entrySet()) {
            for (X509Certificate c : e.getValue()) {
                out.println(e.getKey() + ":");
                out.println("  subject:    " + Certificates.subject(c));
                out.println("  not after:  " + Certificates.notAfter(c));
                out.println("  x5t#S256:   " + AdminHome.x5t(c));
                out.println("  revocation: " + revocation(c, online));
            }
        }
    }

    private String revocation(X509Certificate ca, String online) {
        List<String> r = new ArrayList<>();
        if (home.hasCrlFrom(ca)) r.add("crl");
        if (online != null) r.add(online);
        return r.isEmpty() ? "none" : String.join("+", r);
    }

    void remove(Args a) {
        a.operands("NAME");
        String name = a.operand(0);
        if (!AdminHome.CA_NAME.matcher(name).matches() || !Files.isRegularFile(home.caFile(name))) {
            throw new AdminException("unknown CA '" + name + "' (see: idsvc ca list)");
        }
        // a CA file that does not parse trusts nothing, and can always be removed
        List<X509Certificate> removed = home.cas().getOrDefault(name, List.of());
        // tls_client_auth clients whose pinned certificates this CA issued lose their TLS trust path
        List<String> affected = new ArrayList<>();
        for (ClientFile c : home.clients()) {
            if (c.client().authMethod() != ClientAuthMethod.TLS_CLIENT_AUTH) continue;
            for (String pin : c.pins()) {
                Path f = home.pinFile(pin);
                if (!Files.isRegularFile(f)) continue;
                X509Certificate cert = Certificates.read(f).get(0);
                if (removed.stream().anyMatch(ca -> ca.getSubjectX500Principal().equals(cert.getIssuerX500Principal()))
                        && !affected.contains(c.client().clientId())) {
                    affected.add(c.client().clientId());
                }
            }
        }
        boolean crl = Files.isRegularFile(home.crlFile(name));
        AtomicFiles.delete(home.caFile(name));
        if (crl) AtomicFiles.delete(home.crlFile(name));
        boolean reload = home.regenerateTruststore();
        home.audit("ca remove", "ca=" + name + " x5t=" + (removed.isEmpty() ? "-" : String.join(",", removed.stream().map(AdminHome::x5t).toList())));
        out.println("removed CA " + name + (crl ? " and its CRL trust/crl/" + name + ".crl" : ""));
        if (!affected.isEmpty()) {
            out.println("warning: these tls_client_auth clients have certificates from this CA and can no longer authenticate: "
                    + String.join(", ", affected));
        }
        if (reload) out.println(AdminHome.TRUSTSTORE_CHANGED);
    }

    void crlImport(Args a) {
        a.operands("FILE");
        home.requireIntact();
        Path file = Path.of(a.operand(0));
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new AdminException(file + ": no such file or not readable");
        }
        X509CRL crl;
        try {
            crl = Crls.parse(bytes);
        } catch (AdminException e) {
            throw new AdminException(file + ": " + e.getMessage());
        }
        String caName = null;
        X509Certificate issuer = null;
        for (Map.Entry<String, List<X509Certificate>> e : home.cas().entrySet()) {
            for (X509Certificate ca : e.getValue()) {
                if (!ca.getSubjectX500Principal().equals(crl.getIssuerX500Principal())) continue;
                try {
                    crl.verify(ca.getPublicKey());
                    caName = e.getKey();
                    issuer = ca;
                } catch (GeneralSecurityException ex) {
                    // not this one
                }
            }
        }
        if (issuer == null) {
            throw new AdminException(file + ": the CRL of " + crl.getIssuerX500Principal().getName()
                    + " is not signed by any CA in trust/client-ca/");
        }
        Path target = home.crlFile(caName);
        if (Files.isRegularFile(target)) {
            try {
                X509CRL old = Crls.parse(Files.readAllBytes(target));
                if (crl.getThisUpdate().before(old.getThisUpdate())) {
                    throw new AdminException(file + ": older than the installed CRL of " + caName + " (thisUpdate "
                            + crl.getThisUpdate().toInstant() + " before " + old.getThisUpdate().toInstant() + ")");
                }
            } catch (IOException | AdminException e) {
                if (e instanceof AdminException ae && ae.getMessage().startsWith(file.toString())) throw ae;
                // an unreadable installed CRL is simply replaced
            }
        }
        byte[] der;
        try {
            der = crl.getEncoded();
        } catch (CRLException e) {
            throw new AdminException(file + ": cannot encode the CRL: " + e.getMessage());
        }
        int revoked = crl.getRevokedCertificates() == null ? 0 : crl.getRevokedCertificates().size();

        AtomicFiles.write(target, der, false);
        home.audit("crl import", "ca=" + caName + " x5t=" + AdminHome.x5t(issuer) + " crl_sha256="
                + be.idsvc.pki.CertificateThumbprint.of(der) + " revoked=" + revoked);
        out.println("imported the CRL of CA " + caName + " into trust/crl/" + caName + ".crl:");
        out.println("  issuer:      " + crl.getIssuerX500Principal().getName());
        out.println("  thisUpdate:  " + crl.getThisUpdate().toInstant());
        out.println("  nextUpdate:  " + (crl.getNextUpdate() == null ? "none" : crl.getNextUpdate().toInstant()));
        out.println("  revoked:     " + revoked);
        if (crl.getNextUpdate() != null && crl.getNextUpdate().toInstant().isBefore(home.now())) {
            out.println("warning: its nextUpdate has passed; import a fresh CRL");
        }
    }
}
