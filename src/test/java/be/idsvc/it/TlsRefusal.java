package be.idsvc.it;

import java.io.UncheckedIOException;
import java.net.SocketException;
import java.util.Set;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * What a client sees when the mtls connector refuses its certificate at the TLS layer, and nothing
 * else: a refusal test must not pass on a timeout, a refused connection, a server certificate the
 * client does not trust, or a bug in the test. Seen on the three servers (JDK 25 client):
 * <ul>
 * <li>TLS 1.2, no certificate: Tomcat sends {@code handshake_failure}; WildFly (Undertow) closes the
 *     connection without an alert ("Remote host terminated the handshake").</li>
 * <li>TLS 1.3, no certificate: {@code certificate_required}. The client considers its side of the
 *     handshake done after its Finished; the alert arrives at the first read and the JDK still
 *     reports it as an {@link SSLHandshakeException}.</li>
 * <li>an untrusted certificate, TLS 1.2 or 1.3: {@code certificate_unknown} (other TLS stacks send
 *     {@code bad_certificate}).</li>
 * <li>TLS 1.3, when the server closed the connection before the client read the alert: a reset.
 *     An older JDK reports the post-handshake alert as a plain {@link SSLException}.</li>
 * </ul>
 */
final class TlsRefusal {
    private TlsRefusal() {}

    private static final String ALERT = "Received fatal alert: ";
    private static final Set<String> ALERTS = Set.of("handshake_failure", "certificate_required", "certificate_unknown", "bad_certificate");
    private static final String CLOSED_IN_HANDSHAKE = "Remote host terminated the handshake";

    /** Whether {@code e} (or a cause) is one of the failures above. */
    static boolean is(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage();
            boolean alert = m.startsWith(ALERT) && ALERTS.contains(m.substring(ALERT.length()));
            if (t instanceof SSLHandshakeException && (alert || m.equals(CLOSED_IN_HANDSHAKE))) return true;
            if (t instanceof SSLException && alert) return true;
            if (t instanceof SocketException && m.equals("Connection reset")) return true;
        }
        return false;
    }

    /** Fails with {@code e} itself unless it is a TLS refusal. */
    static void assertIs(Throwable e) {
        if (!is(e)) throw new AssertionError("expected the TLS layer to refuse the certificate, got " + chain(e), e);
    }

    /** For a caller that saw {@code e}: true when it is a TLS refusal, else {@code e} is rethrown as a test failure. */
    static boolean refused(UncheckedIOException e) {
        assertIs(e.getCause());
        return true;
    }

    static String chain(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (b.length() > 0) b.append(" <- ");
            b.append(t.getClass().getName()).append(": ").append(t.getMessage());
        }
        return b.toString();
    }
}
