package be.idsvc.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import be.idsvc.it.Flows.CodeAndAuth;
import be.idsvc.testclient.RelyingParty;

/**
 * Clients doing complete flows against a server whose JVM is killed (SIGKILL) at a random moment,
 * and the check, after the restart, of every answer that acknowledged a state change before the
 * kill (issue 20):
 * <ul>
 * <li><b>lost</b>: an access token that /token returned (and nobody revoked) is refused at /userinfo;
 * <li><b>undone</b>: a token whose revocation was acknowledged (/revoke 200, or the 400 to a code
 * presented again, which revokes the token it bought) is accepted at /userinfo;
 * <li><b>repeated</b>: a code that /token redeemed buys a token again.
 * </ul>
 * A request whose answer never arrived acknowledged nothing; its record is "in doubt" and not
 * checked. A record that expires before the check (60 s codes and tokens in the test home) is
 * counted as unchecked.
 */
final class CrashLoad {
    static final int CLIENTS = 4;

    private final ServerUnderTest s;
    private final Random random;
    private final Totals totals = new Totals();

    /** One acknowledged /token answer: the code it redeemed and the token it returned. */
    private record Ack(String code, String verifier, String accessToken, long expiresAtMillis) {}

    /** The acknowledgements of one cycle (between two kills). */
    private final Queue<Ack> kept = new ConcurrentLinkedQueue<>();
    private final Queue<Ack> revoked = new ConcurrentLinkedQueue<>();
    private final Queue<Ack> redeemed = new ConcurrentLinkedQueue<>();

    CrashLoad(ServerUnderTest s, long seed) {
        this.s = s;
        this.random = new Random(seed);
    }

    Totals totals() {
        return totals;
    }

    /**
     * One cycle: the clients run for a random 1.5-4.5 s, the server JVM is killed, restarted, and
     * every acknowledgement of the cycle is checked. Returns the recovery time in milliseconds.
     */
    long cycle() throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger flowNumber = new AtomicInteger();
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            RelyingParty rp = Flows.demoClient(s);
            Thread t = new Thread(() -> {
                while (!stop.get()) oneFlow(rp, flowNumber.incrementAndGet(), stop);
            }, "crash-load-" + i);
            t.setDaemon(true);
            clients.add(t);
        }
        clients.forEach(Thread::start);
        Thread.sleep(1500 + random.nextInt(3000));
        // no new flow starts from here; the ones under way are cut by the kill
        stop.set(true);
        s.kill();
        for (Thread t : clients) t.join(60_000);

        long start = System.nanoTime();
        s.restart();
        awaitReady();
        long recoveryMillis = (System.nanoTime() - start) / 1_000_000;
        totals.recoveryMillis.add(recoveryMillis);
        check();
        return recoveryMillis;
    }

    /** A complete flow; every second one revokes its token, every fourth presents its code again. */
    private void oneFlow(RelyingParty rp, int n, AtomicBoolean stop) {
        Ack ack;
        try {
            CodeAndAuth ca = Flows.code(s, rp, "openid profile");
            HttpResponse<String> t = rp.token(ca.code(), ca.auth().verifier());
            if (t.statusCode() != 200) {
                if (!stop.get()) totals.unexpected.incrementAndGet();
                return;
            }
            Map<String, Object> json = RelyingParty.json(t.body());
            long expiresIn = ((Number) json.get("expires_in")).longValue();
            ack = new Ack(ca.code(), ca.auth().verifier(), (String) json.get("access_token"),
                    System.currentTimeMillis() + expiresIn * 1000);
            redeemed.add(ack);
        } catch (RuntimeException | AssertionError e) {
            // the server died under this step (refused connection, reset, or an answer cut short)
            if (!stop.get()) totals.unexpected.incrementAndGet();
            return;
        }
        try {
            if (n % 2 == 1) {
                HttpResponse<String> r = rp.postForm(s.mtlsBase().resolve("/revoke"),
                        Map.of("token", ack.accessToken(), "client_id", rp.clientId()));
                if (r.statusCode() == 200) revoked.add(ack);
                else totals.inDoubt.incrementAndGet();
            } else if (n % 4 == 2) {
                HttpResponse<String> r = rp.token(ack.code(), ack.verifier());
                if (r.statusCode() == 400 && "invalid_grant".equals(RelyingParty.json(r.body()).get("error"))) revoked.add(ack);
                else if (r.statusCode() == 200) totals.repeatedBeforeKill.incrementAndGet();
                else totals.inDoubt.incrementAndGet();
            } else {
                kept.add(ack);
            }
        } catch (RuntimeException e) {
            totals.inDoubt.incrementAndGet();
        }
    }

    private void check() {
        RelyingParty rp = Flows.demoClient(s);
        // tokens first: presenting a code again revokes the token it bought
        for (Ack a : kept) {
            if (expiresSoon(a)) continue;
            totals.issued.incrementAndGet();
            int status = userinfoStatus(rp, a.accessToken());
            if (status != 200) totals.lost.incrementAndGet();
        }
        for (Ack a : revoked) {
            if (expiresSoon(a)) continue;
            totals.revoked.incrementAndGet();
            if (userinfoStatus(rp, a.accessToken()) == 200) totals.undone.incrementAndGet();
        }
        for (Ack a : redeemed) {
            if (expiresSoon(a)) continue;
            totals.redeemed.incrementAndGet();
            HttpResponse<String> r = rp.token(a.code(), a.verifier());
            if (r.statusCode() == 200) totals.repeated.incrementAndGet();
        }
        kept.clear();
        revoked.clear();
        redeemed.clear();
    }

    /** Codes and tokens live 60 s in the test home: a record too close to its end proves nothing. */
    private boolean expiresSoon(Ack a) {
        if (a.expiresAtMillis() - System.currentTimeMillis() > 5000) return false;
        totals.unchecked.incrementAndGet();
        return true;
    }

    private static int userinfoStatus(RelyingParty rp, String accessToken) {
        return rp.userinfo(accessToken).statusCode();
    }

    /** Until the public deployment's readiness (a committed write to the store) answers 200. */
    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().sslContext(s.sslContextWithoutClientCert()).connectTimeout(Duration.ofSeconds(2)).build();
        URI ready = s.publicBase().resolve("/health/ready");
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            try {
                if (http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) return;
            } catch (java.io.IOException e) {
                // not yet listening
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (System.nanoTime() > deadline) throw new IllegalStateException(ready + " not ready 120 s after the restart");
            TomcatCluster.sleep(100);
        }
    }

    /** What all cycles checked and found. */
    static final class Totals {
        final AtomicInteger issued = new AtomicInteger();
        final AtomicInteger revoked = new AtomicInteger();
        final AtomicInteger redeemed = new AtomicInteger();
        final AtomicInteger lost = new AtomicInteger();
        final AtomicInteger undone = new AtomicInteger();
        final AtomicInteger repeated = new AtomicInteger();
        final AtomicInteger unchecked = new AtomicInteger();
        final AtomicInteger inDoubt = new AtomicInteger();
        final AtomicInteger unexpected = new AtomicInteger();
        final AtomicInteger repeatedBeforeKill = new AtomicInteger();
        final List<Long> recoveryMillis = new ArrayList<>();

        String report() {
            return "checked " + issued + " issued tokens, " + revoked + " revoked tokens, " + redeemed + " redeemed codes: "
                    + lost + " lost, " + undone + " undone, " + repeated + " repeated (" + unchecked
                    + " too close to expiry to check, " + inDoubt + " in doubt: no answer before the kill, " + unexpected
                    + " steps failed while the server ran, " + repeatedBeforeKill + " codes redeemed twice before a kill);"
                    + " start to ready after each kill (ms): " + recoveryMillis;
        }
    }
}
