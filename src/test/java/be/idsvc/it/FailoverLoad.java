package be.idsvc.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;

import be.idsvc.testclient.Browser;
import be.idsvc.testclient.RelyingParty;
import be.idsvc.testclient.TlsContexts;

/**
 * The failure run of issue #7: complete authorization-code flows (authorize, identify with a
 * virtual test card, consent, token, userinfo) through the load balancer from several workers,
 * with a node killed (SIGKILL) in the middle, and a report of completed flows, failed flows and
 * their reasons. A step that fails on the connection or with 502/503 is retried up to
 * {@value #RETRIES} times, one second apart, as a client with a retry policy would; those
 * retries are reported too.
 *
 * <p>Used by ClusterIT, and on its own against {@code scripts/run --cluster 3}
 * ({@code scripts/cluster-failover-run}): {@code FailoverLoad DEMO_DIR PUBLIC_URL MTLS_URL SECONDS WORKERS PIDFILE}
 * kills the process in PIDFILE after a third of the time.
 */
public final class FailoverLoad {
    static final int RETRIES = 3;

    private final URI publicBase;
    private final URI mtlsBase;
    private final SSLContext browserTls;
    private final SSLContext clientTls;

    private final AtomicInteger started = new AtomicInteger();
    private final AtomicInteger completed = new AtomicInteger();
    private final AtomicInteger codesIssued = new AtomicInteger();
    private final AtomicInteger tokensIssued = new AtomicInteger();
    private final AtomicInteger status500 = new AtomicInteger();
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> retried = new ConcurrentHashMap<>();
    /** Access tokens with the time they were issued, to check afterwards that none was lost. */
    private final List<IssuedToken> tokens = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong flowNanos = new AtomicLong();

    public FailoverLoad(URI publicBase, URI mtlsBase, Path demoDir) {
        this.publicBase = publicBase;
        this.mtlsBase = mtlsBase;
        this.browserTls = TlsContexts.of(demoDir.resolve("ca.pem"), null, null);
        this.clientTls = TlsContexts.of(demoDir.resolve("ca.pem"), demoDir.resolve("demo-client.pem"), demoDir.resolve("demo-client-key.pem"));
    }

    record IssuedToken(String accessToken, long issuedAtMillis) {}

    /** What the run did. */
    public record Report(int workers, double seconds, int started, int completed, int codesIssued, int tokensIssued, int status500,
            Map<String, Integer> failures, Map<String, Integer> retries, double meanFlowMillis) {
        public int failed() {
            return failures.values().stream().mapToInt(Integer::intValue).sum();
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            b.append(String.format("failover run: %d workers, %.1f s%n", workers, seconds));
            b.append(String.format("  flows started   %d%n  flows completed %d (%.1f/s, mean %.0f ms per flow)%n  flows failed    %d%n",
                    started, completed, completed / seconds, meanFlowMillis, failed()));
            b.append(String.format("  codes issued    %d, access tokens issued %d, HTTP 500 answers %d%n", codesIssued, tokensIssued, status500));
            failures.forEach((k, v) -> b.append(String.format("  failed: %4d  %s%n", v, k)));
            retries.forEach((k, v) -> b.append(String.format("  retried: %4d  %s%n", v, k)));
            return b.toString();
        }
    }

    /** Runs {@code workers} flow loops for {@code duration}; {@code atThird} runs once, a third of the way in. */
    public Report run(int workers, Duration duration, Runnable atThird) {
        long t0 = System.nanoTime();
        long end = t0 + duration.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(workers + 1);
        java.util.concurrent.CountDownLatch workersDone = new java.util.concurrent.CountDownLatch(workers);
        AtomicLong lastWorkerDone = new AtomicLong();
        try {
            for (int w = 0; w < workers; w++) {
                pool.submit(() -> {
                    RelyingParty rp = new RelyingParty("demo-client", "http://127.0.0.1:8765/callback", mtlsBase, clientTls);
                    while (System.nanoTime() < end) oneFlow(rp);
                    lastWorkerDone.accumulateAndGet(System.nanoTime(), Math::max);
                    workersDone.countDown();
                });
            }
            pool.submit(() -> {
                sleepNanos(duration.toNanos() / 3);
                atThird.run();
            });
            pool.shutdown();
            if (!pool.awaitTermination(duration.toSeconds() + 180, TimeUnit.SECONDS)) throw new IllegalStateException("load run did not end");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
        // the flows' time, not the callback's (which may outlast them, e.g. restarting the node)
        double seconds = (lastWorkerDone.get() - t0) / 1e9;
        return new Report(workers, seconds, started.get(), completed.get(), codesIssued.get(), tokensIssued.get(), status500.get(),
                snapshot(failures), snapshot(retried), completed.get() == 0 ? 0 : flowNanos.get() / 1e6 / completed.get());
    }

    /**
     * Of the access tokens issued between {@code fromMillis} and {@code toMillis} (at most
     * {@code max}), how many userinfo still accepts (through the balancer, retried like a step);
     * returns {accepted, checked}.
     */
    public int[] tokensStillValid(long fromMillis, long toMillis, int max) {
        List<String> chosen;
        synchronized (tokens) {
            chosen = tokens.stream().filter(t -> t.issuedAtMillis() >= fromMillis && t.issuedAtMillis() <= toMillis)
                    .map(IssuedToken::accessToken).limit(max).toList();
        }
        RelyingParty rp = new RelyingParty("demo-client", "http://127.0.0.1:8765/callback", mtlsBase, clientTls);
        int ok = 0;
        for (String at : chosen) {
            try {
                if (step("check", () -> rp.userinfo(at)).statusCode() == 200) ok++;
            } catch (StepFailed e) {
                // counted as not valid
            }
        }
        return new int[] {ok, chosen.size()};
    }

    private void oneFlow(RelyingParty rp) {
        started.incrementAndGet();
        long t = System.nanoTime();
        Browser browser = new Browser(browserTls);
        String origin = publicBase.getScheme() + "://" + publicBase.getRawAuthority();
        try {
            RelyingParty.Authorization auth = rp.authorization("openid profile");
            HttpResponse<String> identify = step("authorize", () -> browser.follow(browser.get(auth.url()), origin));
            expect("authorize", identify, 200);
            Map<String, String> hidden = Browser.hiddenFields(identify.body());
            hidden.put("person", Browser.firstOption(identify.body()));
            hidden.put("action", "identify");
            HttpResponse<String> consent = step("identify", () -> browser.follow(browser.post(publicBase.resolve("/identify"), hidden), origin));
            expect("identify", consent, 200);
            Map<String, String> form = Browser.hiddenFields(consent.body());
            form.put("decision", "approve");
            HttpResponse<String> callback = step("consent", () -> browser.post(publicBase.resolve("/consent"), form));
            expect("consent", callback, 303);
            Map<String, String> q = Browser.query(callback);
            if (!auth.state().equals(q.get("state")) || q.get("code") == null) throw new StepFailed("consent: callback without code or state");
            codesIssued.incrementAndGet();
            HttpResponse<String> token = step("token", () -> rp.token(q.get("code"), auth.verifier()));
            expect("token", token, 200);
            String at = (String) RelyingParty.json(token.body()).get("access_token");
            tokensIssued.incrementAndGet();
            tokens.add(new IssuedToken(at, System.currentTimeMillis()));
            HttpResponse<String> userinfo = step("userinfo", () -> rp.userinfo(at));
            expect("userinfo", userinfo, 200);
            completed.incrementAndGet();
            flowNanos.addAndGet(System.nanoTime() - t);
        } catch (StepFailed e) {
            count(failures, e.getMessage());
        } catch (RuntimeException e) {
            count(failures, "unexpected: " + e);
        }
    }

    private void expect(String step, HttpResponse<String> r, int status) {
        if (r.statusCode() == 500) status500.incrementAndGet();
        if (r.statusCode() != status) {
            String error = "";
            if (r.body() != null && r.body().startsWith("{")) error = " " + RelyingParty.json(r.body()).get("error");
            // after a retry, the first attempt may have done the work and its answer was lost with the node
            throw new StepFailed(step + ": HTTP " + r.statusCode() + error + (RETRIED.get() ? " after a retry" : ""));
        }
    }

    /** Whether the calling worker's last step needed a retry. */
    private static final ThreadLocal<Boolean> RETRIED = ThreadLocal.withInitial(() -> false);

    /** One request, retried on a broken connection or 502/503 as a careful client would. */
    private HttpResponse<String> step(String step, Supplier<HttpResponse<String>> request) {
        RETRIED.set(false);
        for (int attempt = 0;; attempt++) {
            if (attempt > 0) RETRIED.set(true);
            String why;
            try {
                HttpResponse<String> r = request.get();
                if (r.statusCode() != 502 && r.statusCode() != 503) return r;
                why = "HTTP " + r.statusCode();
                if (attempt >= RETRIES) return r;
            } catch (UncheckedIOException e) {
                why = e.getCause().getClass().getSimpleName();
                if (attempt >= RETRIES) throw new StepFailed(step + ": " + why + " after " + RETRIES + " retries");
            }
            count(retried, step + ": " + why);
            sleepNanos(TimeUnit.SECONDS.toNanos(1));
        }
    }

    private static final class StepFailed extends RuntimeException {
        StepFailed(String message) {
            super(message, null, false, false);
        }
    }

    private static void count(Map<String, AtomicInteger> m, String key) {
        m.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }

    private static Map<String, Integer> snapshot(Map<String, AtomicInteger> m) {
        Map<String, Integer> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    private static void sleepNanos(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code FailoverLoad DEMO_DIR PUBLIC_URL MTLS_URL SECONDS WORKERS PIDFILE}: see the class comment. */
    public static void main(String[] args) throws IOException {
        if (args.length != 6) {
            System.err.println("usage: FailoverLoad DEMO_DIR PUBLIC_URL MTLS_URL SECONDS WORKERS PIDFILE_OF_THE_NODE_TO_KILL");
            System.exit(2);
        }
        Path pidFile = Path.of(args[5]);
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        FailoverLoad load = new FailoverLoad(URI.create(args[1]), URI.create(args[2]), Path.of(args[0]));
        int[] check = new int[2];
        Report r = load.run(Integer.parseInt(args[4]), Duration.ofSeconds(Long.parseLong(args[3])), () -> {
            long killedAt = System.currentTimeMillis();
            System.out.println("failover run: SIGKILL pid " + pid + " (" + pidFile + ")");
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            // every token issued in the 10 s before the kill must still work through the survivors
            sleepNanos(TimeUnit.SECONDS.toNanos(3));
            int[] c = load.tokensStillValid(killedAt - 10_000, killedAt, 200);
            check[0] = c[0];
            check[1] = c[1];
        });
        System.out.print(r);
        System.out.printf("  tokens issued in the 10 s before the kill, still valid 3 s after it: %d of %d%n", check[0], check[1]);
        System.exit(r.status500() == 0 && check[0] == check[1] ? 0 : 1);
    }
}
