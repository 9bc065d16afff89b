package be.idsvc.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Plain HTTP/1.1 over the mtls deployment's proxy hop, exactly as a TLS-terminating proxy sends it:
 * over the Unix domain socket on Tomcat, over loopback TCP from {@link ServerUnderTest#PROXY_ADDRESS}
 * on WildFly. Tests that act as the proxy use this; {@link #overTcp} plays any other local process.
 */
final class ProxyHop {
    private ProxyHop() {}

    record Response(int status, String body) {}

    static Response send(ServerUnderTest s, String method, String path, String form, List<String> clientCerts, String authorization)
            throws IOException {
        if (s.mtlsProxySocket() != null) {
            try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                channel.connect(UnixDomainSocketAddress.of(s.mtlsProxySocket()));
                return exchange(Channels.newInputStream(channel), Channels.newOutputStream(channel), method, path, form, clientCerts,
                        authorization);
            }
        }
        return overTcp(ServerUnderTest.PROXY_ADDRESS, s.mtlsProxyPort(), method, path, form, clientCerts, authorization);
    }

    /** From a chosen loopback address to a loopback port. */
    static Response overTcp(String from, int port, String method, String path, String form, List<String> clientCerts, String authorization)
            throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            return exchange(socket.getInputStream(), socket.getOutputStream(), method, path, form, clientCerts, authorization);
        }
    }

    private static Response exchange(InputStream in, OutputStream out, String method, String path, String form, List<String> clientCerts,
            String authorization) throws IOException {
        byte[] body = form == null ? new byte[0] : form.getBytes(StandardCharsets.UTF_8);
        StringBuilder h = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
        for (String clientCert : clientCerts) h.append("Client-Cert: ").append(clientCert).append("\r\n");
        if (authorization != null) h.append("Authorization: ").append(authorization).append("\r\n");
        if (form != null) h.append("Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ").append(body.length).append("\r\n");
        h.append("\r\n");
        out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        String text = all.toString(StandardCharsets.UTF_8);
        int status = Integer.parseInt(text.substring(9, 12));
        int split = text.indexOf("\r\n\r\n");
        String payload = text.substring(split + 4);
        if (text.substring(0, split).toLowerCase().contains("transfer-encoding: chunked")) payload = dechunk(payload);
        return new Response(status, payload);
    }

    private static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < chunked.length()) {
            int eol = chunked.indexOf("\r\n", i);
            int size = Integer.parseInt(chunked.substring(i, eol).trim(), 16);
            if (size == 0) break;
            out.append(chunked, eol + 2, eol + 2 + size);
            i = eol + 2 + size + 2;
        }
        return out.toString();
    }
}
