package be.idsvc.web;

import java.security.cert.X509Certificate;

import jakarta.servlet.http.HttpServletRequest;

/** The client certificate chain the connector verified, or null. */
public final class ClientCertificates {
    private ClientCertificates() {}

    public static X509Certificate[] of(HttpServletRequest request) {
        Object chain = request.getAttribute("jakarta.servlet.request.X509Certificate");
        if (chain instanceof X509Certificate[] c && c.length > 0) return c;
        return null;
    }
}
