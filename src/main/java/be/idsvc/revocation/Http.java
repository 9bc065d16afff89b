package be.idsvc.revocation;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLConnection;

/**
 * The little HTTP revocation checking needs: GET a CRL, POST an OCSP request. Bounded: connect and
 * read timeouts, an overall deadline, a size limit, no redirects, no caches.
 */
final class Http {
    static final int CONNECT_TIMEOUT_MILLIS = 2000;
    static final int READ_TIMEOUT_MILLIS = 3000;
    static final long TOTAL_TIMEOUT_MILLIS = 5000;
    static final int MAX_CRL_BYTES = 10 * 1024 * 1024;
    static final int MAX_OCSP_RESPONSE_BYTES = 64 * 1024;

    private Http() {}

    static byte[] get(URI url, int maxBytes) throws IOException {
        return exchange(url, null, null, null, maxBytes);
    }

    static byte[] post(URI url, String contentType, byte[] body, String accept, int maxBytes) throws IOException {
        return exchange(url, contentType, body, accept, maxBytes);
    }

    private static byte[] exchange(URI url, String contentType, byte[] body, String accept, int maxBytes) throws IOException {
        long deadline = System.nanoTime() + TOTAL_TIMEOUT_MILLIS * 1_000_000L;
        URLConnection uc = url.toURL().openConnection();
        if (!(uc instanceof HttpURLConnection c)) throw new IOException("not an http URL: " + url);
        try {
            c.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
            c.setReadTimeout(READ_TIMEOUT_MILLIS);
            c.setInstanceFollowRedirects(false);
            c.setUseCaches(false);
            if (accept != null) c.setRequestProperty("Accept", accept);
            if (body != null) {
                c.setRequestMethod("POST");
                c.setDoOutput(true);
                c.setRequestProperty("Content-Type", contentType);
                c.setFixedLengthStreamingMode(body.length);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(body);
                }
            }
            int status = c.getResponseCode();
            if (status != 200) throw new IOException("HTTP status " + status);
            long length = c.getContentLengthLong();
            if (length > maxBytes) throw new IOException("response larger than " + maxBytes + " bytes");
            try (InputStream in = c.getInputStream()) {
                ByteArrayOutputStream out = new ByteArrayOutputStream(length > 0 ? (int) length : 8192);
                byte[] buf = new byte[8192];
                int n;
                while ((n = in.read(buf)) != -1) {
                    out.write(buf, 0, n);
                    if (out.size() > maxBytes) throw new IOException("response larger than " + maxBytes + " bytes");
                    if (System.nanoTime() > deadline) throw new IOException("response not complete within " + TOTAL_TIMEOUT_MILLIS + " ms");
                }
                return out.toByteArray();
            }
        } finally {
            c.disconnect();
        }
    }
}
