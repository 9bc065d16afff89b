package be.idsvc.admin;

import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import be.idsvc.config.ConfigurationException;
import be.idsvc.config.PropertiesFile;
import be.idsvc.config.ServiceHome;
import be.idsvc.eid.EidTrustConfig;

/**
 * The eID part of {@code idsvc check}: a home that is no sandbox must not hold the sandbox's demo
 * anchors (named {@code sandbox-*.pem}, or carrying the key of a certificate under
 * {@code keys/sandbox/}, whose private keys lie next to it: whoever reads the home could mint
 * "real" identities), and needs {@code eid.rrn_subject} once it trusts an RRN anchor.
 */
final class EidTrustCheck {
    private EidTrustCheck() {}

    static List<String> findings(Path dir, PropertiesFile settings) {
        List<String> out = new ArrayList<>();
        boolean sandbox;
        try {
            sandbox = settings.bool(EidTrustConfig.SANDBOX_VIRTUAL_CARDS, false);
        } catch (ConfigurationException e) {
            out.add("eid: " + e.getMessage());
            return out;
        }
        if (sandbox) return out;
        ServiceHome layout = new ServiceHome(dir);
        List<byte[]> sandboxKeys = new ArrayList<>();
        for (Path f : AdminHome.list(dir.resolve("keys/sandbox"), "*.pem")) {
            if (f.getFileName().toString().endsWith("-key.pem")) continue;
            for (X509Certificate c : readQuietly(f)) sandboxKeys.add(c.getPublicKey().getEncoded());
        }
        PathMatcher named = java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + EidTrustConfig.SANDBOX_ANCHOR_GLOB);
        boolean rrnAnchors = false;
        for (Path anchorDir : List.of(layout.eidCitizenCaDir(), layout.eidRrnCaDir())) {
            for (Path f : AdminHome.list(anchorDir, "*.pem")) {
                boolean isSandbox = named.matches(f.getFileName());
                List<X509Certificate> certs = readQuietly(f);
                for (X509Certificate c : certs) {
                    byte[] key = c.getPublicKey().getEncoded();
                    if (sandboxKeys.stream().anyMatch(k -> Arrays.equals(k, key))) isSandbox = true;
                }
                if (isSandbox) {
                    out.add("eid: " + dir.relativize(f) + " is a sandbox anchor (its key is in keys/sandbox/) in a home that is no sandbox ("
                            + EidTrustConfig.SANDBOX_VIRTUAL_CARDS + " is not true): remove it");
                }
                if (anchorDir.equals(layout.eidRrnCaDir()) && !certs.isEmpty()) rrnAnchors = true;
            }
        }
        if (settings.optional(EidTrustConfig.RRN_SUBJECT) == null && rrnAnchors) {
            out.add("eid: " + EidTrustConfig.RRN_SUBJECT + " is not set: every eID readout is refused outside sandbox homes"
                    + " (production: " + EidTrustConfig.RRN_SUBJECT + "=CN=RRN, O=RRN, C=BE)");
        }
        return out;
    }

    private static List<X509Certificate> readQuietly(Path f) {
        try {
            return Certificates.read(f);
        } catch (RuntimeException e) {
            return List.of();
        }
    }
}
