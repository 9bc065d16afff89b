package be.idsvc.admin;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import be.idsvc.admin.AdminHome.ClientFile;

/** {@code check}: what needs an operator's action soon. Exit 0 when nothing, 1 when something. */
final class CheckCommand {
    private final AdminHome home;
    private final PrintStream out;

    CheckCommand(AdminHome home, PrintStream out) {
        this.home = home;
        this.out = out;
    }

    int run(Args a) {
        a.operands();
        int days = a.integer("--days", 30, 0, 36500);
        Instant now = home.now();
        Instant limit = now.plus(Duration.ofDays(days));
        List<String> findings = new ArrayList<>();
        // first what the deployments leave out because it does not parse; the rest is checked without it
        for (BrokenFiles.Broken b : BrokenFiles.scan(home)) findings.add(b.line());

        Path server = home.serverCertificate();
        if (!Files.isRegularFile(server)) {
            findings.add("tls/server.pem: missing");
        } else {
            for (X509Certificate c : Certificates.read(server)) {
                expiry("tls/server.pem: certificate " + Certificates.subject(c), c, now, limit, findings);
            }
        }

        for (ClientFile c : home.clients()) {
            String id = c.client().clientId();
            if (c.pins().isEmpty()) findings.add("client " + id + ": no pin (it cannot authenticate)");
            for (String pin : c.pins()) {
                Path f = home.pinFile(pin);
                if (!Files.isRegularFile(f)) {
                    findings.add("client " + id + ": pin " + pin + ": no certificate file trust/pinned/" + pin + ".pem");
                    continue;
                }
                expiry("client " + id + ": pin " + pin + ": certificate", Certificates.read(f).get(0), now, limit, findings);
            }
        }

        String online;
        try {
            online = home.onlineRevocation();
        } catch (AdminException e) {
            online = null; // idsvc.properties does not parse: listed above
        }
        for (Map.Entry<String, List<X509Certificate>> e : home.cas().entrySet()) {
            for (X509Certificate ca : e.getValue()) {
                expiry("ca " + e.getKey() + ": certificate", ca, now, limit, findings);
                if (online == null && !home.hasCrlFrom(ca)) {
                    findings.add("ca " + e.getKey() + ": no revocation configured (import a CRL into trust/crl/, or set"
                            + " revocation.ocsp or revocation.crl.fetch in idsvc.properties)");
                }
            }
        }

        for (Path f : AdminHome.list(home.crlDir(), "*.crl")) {
            String name = "crl " + AdminHome.stem(f);
            try {
                X509CRL crl = Crls.parse(Files.readAllBytes(f));
                if (crl.getNextUpdate() != null && crl.getNextUpdate().toInstant().isBefore(now)) {
                    findings.add(name + ": stale, nextUpdate " + crl.getNextUpdate().toInstant() + " has passed");
                }
            } catch (IOException | AdminException e) {
                findings.add(name + ": unreadable (" + e.getMessage() + ")");
            }
        }

        findings.addAll(EidTrustCheck.findings(home.dir(), home.settings()));

        for (String f : findings) out.println(f);
        if (findings.isEmpty()) {
            out.println("nothing needs action (certificates checked for expiry until " + limit + ")");
            return 0;
        }
        out.println(findings.size() + " item" + (findings.size() == 1 ? " needs" : "s need") + " action");
        return 1;
    }

    private static void expiry(String what, X509Certificate c, Instant now, Instant limit, List<String> findings) {
        Instant notAfter = Certificates.notAfter(c);
        if (notAfter.isBefore(now)) {
            findings.add(what + " expired on " + notAfter);
        } else if (notAfter.isBefore(limit)) {
            long days = Duration.between(now, notAfter).toDays();
            findings.add(what + " expires on " + notAfter + " (in " + days + " day" + (days == 1 ? "" : "s") + ")");
        }
    }
}
