package be.idsvc.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * One HTTP/1.1 connection over TLS, written for the load generator: the benchmark must decide
 * exactly when a TCP+TLS connection is opened (keep-alive versus a new handshake per request,
 * with or without session resumption), which java.net.http does not let a caller control.
 * Handles Content-Length and chunked bodies; reconnects when the server closed the connection.
 */
final class Http1Connection implements AutoCloseable {
    record Response(int status, Map<String, List<String>> headers, String body) {
        String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null || v.isEmpty() ? null : v.get(0);
        }
    }

    private final String host;
    private final int port;
    private final SSLContext tls;
    private SSLSocket socket;
    private InputStream in;
    private OutputStream out;
    /** TLS handshakes this connection made (a new socket is a new handshake, full or resumed). */
    int handshakes;

    Http1Connection(String host, int port, SSLContext tls) {
        this.host = host;
        this.port = port;
        this.tls = tls;
    }

    Response get(String path, Map<String, String> headers) throws IOException {
        return exchange("GET", path, headers, null);
    }

    Response postForm(String path, Map<String, String> headers, String form) throws IOException {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put("Content-Type", "application/x-www-form-urlencoded");
        return exchange("POST", path, h, form.getBytes(StandardCharsets.US_ASCII));
    }

    Response exchange(String method, String path, Map<String, String> headers, byte[] body) throws IOException {
        boolean fresh = socket == null;
        try {
            return once(method, path, headers, body);
        } catch (IOException e) {
            // a kept-alive connection the server closed meanwhile: one retry on a new connection
            close();
            if (fresh) throw e;
            return once(method, path, headers, body);
        }
    }

    private Response once(String method, String path, Map<String, String> headers, byte[] body) throws IOException {
        if (socket == null) connect();
        StringBuilder b = new StringBuilder(256);
        b.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ").append(host).append(':').append(port).append("\r\n");
        headers.forEach((k, v) -> b.append(k).append(": ").append(v).append("\r\n"));
        if (body != null) b.append("Content-Length: ").append(body.length).append("\r\n");
        b.append("\r\n");
        out.write(b.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) out.write(body);
        out.flush();
        return read();
    }

    private void connect() throws IOException {
        socket = (SSLSocket) tls.getSocketFactory().createSocket(host, port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(30_000);
        socket.startHandshake();
        handshakes++;
        in = new BufferedInputStream(socket.getInputStream(), 16384);
        out = socket.getOutputStream();
    }

    private Response read() throws IOException {
        String status = line();
        if (status == null) throw new IOException("connection closed before a response");
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) throw new IOException("not an HTTP/1.1 status line");
        int code = Integer.parseInt(parts[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String l; (l = line()) != null && !l.isEmpty(); ) {
            int c = l.indexOf(':');
            if (c <= 0) continue;
            headers.computeIfAbsent(l.substring(0, c).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(l.substring(c + 1).trim());
        }
        byte[] body;
        String te = first(headers, "transfer-encoding");
        String cl = first(headers, "content-length");
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            while (true) {
                String size = line();
                if (size == null) throw new IOException("connection closed in a chunked body");
                int semi = size.indexOf(';');
                int n = Integer.parseInt((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
                if (n == 0) {
                    while (true) { String t = line(); if (t == null || t.isEmpty()) break; }
                    break;
                }
                buf.write(in.readNBytes(n));
                line();
            }
            body = buf.toByteArray();
        } else if (cl != null) {
            int n = Integer.parseInt(cl);
            body = in.readNBytes(n);
            if (body.length != n) throw new IOException("connection closed in the body");
        } else if (code == 204 || code == 304 || (code >= 300 && code < 400 && cl == null && te == null)) {
            body = new byte[0];
        } else {
            body = in.readAllBytes();
            close();
        }
        String connection = first(headers, "connection");
        if (connection != null && connection.equalsIgnoreCase("close")) close();
        return new Response(code, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static String first(Map<String, List<String>> h, String name) {
        List<String> v = h.get(name);
        return v == null ? null : v.get(0);
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(128);
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') break;
            if (c != '\r') b.write(c);
        }
        if (c == -1 && b.size() == 0) return null;
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing: nothing to report
            }
        }
        socket = null;
        in = null;
        out = null;
    }
}
