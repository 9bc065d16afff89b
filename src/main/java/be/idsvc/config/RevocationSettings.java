package be.idsvc.config;

import java.net.URI;
import java.net.URISyntaxException;


/**
 * The {@code revocation.*} settings of idsvc.properties (docs/service-home.md, docs/revocation.md).
 *
 * @param crlFetch also fetch the CRLs named by a certificate's CRL distribution point (http)
 * @param ocsp ask an OCSP responder first
 * @param ocspResponder the responder to ask instead of the one in the certificate's AIA; null: the AIA one
 * @param unavailable what to do when no status can be obtained
 */
public record RevocationSettings(boolean crlFetch, boolean ocsp, URI ocspResponder, UnavailablePolicy unavailable) {
    public static final String CRL_FETCH = "revocation.crl.fetch";
    public static final String OCSP = "revocation.ocsp";
    public static final String OCSP_RESPONDER = "revocation.ocsp.responder";
    public static final String UNAVAILABLE = "revocation.unavailable";

    /** When no revocation status can be obtained for a certificate whose CA has a source configured. */
    public enum UnavailablePolicy {
        /** Refuse the client (the default: fail closed). */
        FAIL,
        /** Accept the client and log a warning. */
        ALLOW
    }

    public RevocationSettings {
        if (unavailable == null) throw new IllegalArgumentException("unavailable policy is required");
        if (ocspResponder != null) checkResponder(ocspResponder);
    }

    /** Only imported CRLs, no fetching, no OCSP, fail closed. */
    public static RevocationSettings defaults() {
        return new RevocationSettings(false, false, null, UnavailablePolicy.FAIL);
    }

    /** Reads and checks the settings; errors name the file, the key and the allowed values. */
    public static RevocationSettings read(PropertiesFile p) {
        return read(p, "revocation.", defaults());
    }

    /**
     * The same settings under another prefix ({@code eid.revocation.} for the cards' authentication
     * certificates), with the given defaults for keys that are absent.
     */
    public static RevocationSettings read(PropertiesFile p, String prefix, RevocationSettings defaults) {
        String crlFetchKey = prefix + "crl.fetch", ocspKey = prefix + "ocsp", responderKey = prefix + "ocsp.responder",
                unavailableKey = prefix + "unavailable";
        boolean crlFetch = p.bool(crlFetchKey, defaults.crlFetch());
        boolean ocsp = p.bool(ocspKey, defaults.ocsp());
        URI responder = defaults.ocspResponder();
        String r = p.optional(responderKey);
        if (r != null) {
            try {
                responder = new URI(r);
                checkResponder(responder);
            } catch (URISyntaxException | IllegalArgumentException e) {
                throw new ConfigurationException(p.file() + ": " + responderKey
                        + " must be an http or https URL with a host and without fragment (found '" + r + "')");
            }
        }
        String u = p.string(unavailableKey, defaults.unavailable() == UnavailablePolicy.FAIL ? "fail" : "allow");
        UnavailablePolicy policy = switch (u) {
            case "fail" -> UnavailablePolicy.FAIL;
            case "allow" -> UnavailablePolicy.ALLOW;
            default -> throw new ConfigurationException(p.file() + ": " + unavailableKey + " must be fail or allow (found '" + u + "')");
        };
        return new RevocationSettings(crlFetch, ocsp, responder, policy);
    }

    private static void checkResponder(URI u) {
        if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null || u.getFragment() != null) {
            throw new IllegalArgumentException("OCSP responder must be an http or https URL with a host and without fragment: " + u);
        }
    }
}
