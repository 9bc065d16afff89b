package be.idsvc.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;


import be.idsvc.identify.SandboxCards;
import be.idsvc.json.Json;
import be.idsvc.pki.Pem;

/**
 * The load generator of scripts/bench: drives complete flows against a running service at a
 * sweep of concurrencies and connection modes, checks every answer, and reports flows per second,
 * per-step latency percentiles, the server's CPU and memory per 1,000 flows, its own CPU, and the
 * server floor (a static resource on the same connectors). Exit status 1 when any flow failed.
 *
 * <pre>
 * FlowBench --demo target/demo --public https://localhost:8443 --mtls https://localhost:9443
 *           --server-pid PID --out target/bench [--quick] [--micro-json target/bench/micro.json]
 * </pre>
 */
public final class FlowBench {
    static final String SCOPE = "openid profile address eid photo";
    static final String REDIRECT_URI = "http://127.0.0.1:8765/callback";

    private final Map<String, String> opts;
    private final Path demo;
    private final URI publicBase;
    private final URI mtlsBase;
    private final ProcessMeter server;
    private final boolean quick;
    private KeyManager[] clientKeys;
    private TrustManager[] trust;
    private SSLContext sharedClientTls;
    private final List<Map<String, Object>> results = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private final AtomicLong errorCount = new AtomicLong();

    private FlowBench(Map<String, String> opts) {
        this.opts = opts;
        this.demo = Path.of(opts.getOrDefault("demo", "target/demo"));
        this.publicBase = URI.create(opts.getOrDefault("public", "https://localhost:8443"));
        this.mtlsBase = URI.create(opts.getOrDefault("mtls", "https://localhost:9443"));
        this.server = new ProcessMeter(Long.parseLong(opts.getOrDefault("server-pid", "0")));
        this.quick = opts.containsKey("quick");
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) throw new IllegalArgumentException("unexpected argument " + args[i]);
            String k = args[i].substring(2);
            if (k.equals("quick")) o.put(k, "true");
            else o.put(k, args[++i]);
        }
        System.exit(new FlowBench(o).run());
    }

    private int run() throws Exception {
        Instant started = Instant.now();
        loadTls();
        Map<String, Object> discovery = json(mtlsGet("/.well-known/openid-configuration"));
        String issuer = (String) discovery.get("issuer");
        String jwks = mtlsGet(URI.create((String) discovery.get("jwks_uri")).getPath());
        SandboxCards cards = new SandboxCards(demo.resolve("home/sandbox/cards"));
        SandboxCards.Card rsaCard = cards.find("alice").orElseThrow(() -> new IllegalStateException("no sandbox card alice"));
        SandboxCards.Card ecCard = cards.find("bob").orElseThrow(() -> new IllegalStateException("no sandbox card bob"));
        List<SandboxCards.Card> mixed = List.of(rsaCard, ecCard);
        FlowDriver.Setup es256 = setup(issuer, "demo-client", jwks, "ES256");
        boolean haveRs256 = Files.exists(demo.resolve("home/clients/bench-rs256.properties"));
        FlowDriver.Setup rs256 = haveRs256 ? setup(issuer, "bench-rs256", jwks, "RS256") : null;

        double seconds = Double.parseDouble(opts.getOrDefault("seconds", quick ? "2.5" : "12"));
        double warmup = Double.parseDouble(opts.getOrDefault("warmup", quick ? "5" : "40"));
        int[] levels = parseLevels(opts.getOrDefault("levels", quick ? "1,4" : "1,2,4,8,16,32"));
        int[] otherModeLevels = quick ? new int[] {4} : opts.containsKey("levels") ? levels : new int[] {1, 4, 16};
        int cardLevel = quick ? 4 : 4;

        System.out.printf(Locale.ROOT, "bench: server pid %s, %s, load %.2f; warm-up %.0f s%n",
                opts.getOrDefault("server-pid", "?"), server.present() ? "measuring its CPU and RSS" : "NOT measuring server CPU (no pid)",
                ProcessMeter.loadAverage(), warmup);
        // every mode, both cards and both algorithms in the warm-up, so the JIT has compiled all
        // their paths before the first measured level (the sweep's first rows were still warming)
        flows("warm-up", es256, FlowDriver.Mode.KEEP_ALIVE, mixed, 4, warmup / 2, false);
        flows("warm-up", es256, FlowDriver.Mode.NEW_CONNECTION_FULL, mixed, 4, warmup / 4, false);
        flows("warm-up", rs256 != null ? rs256 : es256, FlowDriver.Mode.NEW_CONNECTION_RESUMED, mixed, 4, warmup / 4, false);

        staticFloor("floor-public-static", publicBase, null, "/static/idsvc.css", 4, quick ? 2 : 6);
        staticFloor("floor-mtls-health", mtlsBase, sharedClientTls, "/health", 4, quick ? 2 : 6);

        idleServer(quick ? 2 : 8);
        if (planned("sweep")) {
            for (int c : levels) flows("sweep", es256, FlowDriver.Mode.KEEP_ALIVE, mixed, c, seconds, true);
            for (FlowDriver.Mode m : new FlowDriver.Mode[] {FlowDriver.Mode.NEW_CONNECTION_RESUMED, FlowDriver.Mode.NEW_CONNECTION_FULL}) {
                for (int c : otherModeLevels) flows("sweep", es256, m, mixed, c, seconds, true);
            }
        }
        if (planned("card-rsa2048")) flows("card-rsa2048", es256, FlowDriver.Mode.KEEP_ALIVE, List.of(rsaCard), cardLevel, seconds, true);
        if (planned("card-ecp384")) flows("card-ecp384", es256, FlowDriver.Mode.KEEP_ALIVE, List.of(ecCard), cardLevel, seconds, true);
        if (planned("alg-rs256")) {
            if (rs256 != null) flows("alg-rs256", rs256, FlowDriver.Mode.KEEP_ALIVE, mixed, cardLevel, seconds, true);
            else System.out.println("bench: no client bench-rs256 in the home: RS256 not measured (scripts/bench registers it)");
        }

        Map<String, Object> micro = readMicro();
        addEfficiency(micro);
        printTable();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("started", started.toString());
        out.put("finished", Instant.now().toString());
        out.put("quick", quick);
        out.put("server", opts.getOrDefault("server", "tomcat"));
        out.put("server_jvm", opts.getOrDefault("server-jvm", "?"));
        out.put("server_pid", opts.getOrDefault("server-pid", "?"));
        out.put("generator_jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        out.put("cores", Runtime.getRuntime().availableProcessors());
        out.put("scope", SCOPE);
        out.put("server_peak_rss_mib", server.serverRssMiB(true));
        out.put("errors", errorCount.get());
        out.put("error_messages", errors);
        if (micro != null) out.put("crypto_floor_micro", micro);
        out.put("results", results);
        Path dir = Path.of(opts.getOrDefault("out", "target/bench"));
        Files.createDirectories(dir);
        String name = opts.getOrDefault("label", "flows");
        Files.writeString(dir.resolve(name + ".json"), Json.write(out));
        Files.writeString(dir.resolve(name + ".svg"), Chart.svg(results, name + " — " + out.get("server") + " on " + out.get("server_jvm")));
        System.out.println("bench: wrote " + dir.resolve(name + ".json") + " and " + dir.resolve(name + ".svg"));
        if (errorCount.get() > 0) {
            System.out.println("bench: FAILED: " + errorCount.get() + " flows failed; first: " + errors);
            return 1;
        }
        System.out.println("bench: 0 errors");
        return 0;
    }

    private FlowDriver.Setup setup(String issuer, String clientId, String jwks, String alg) throws Exception {
        FlowDriver.TlsFactory factory = new FlowDriver.TlsFactory() {
            public SSLContext shared() { return sharedClientTls; }
            public SSLContext fresh() { return context(clientKeys); }
        };
        return new FlowDriver.Setup(publicBase, mtlsBase, issuer, clientId, REDIRECT_URI, SCOPE, null, factory,
                new IdTokenChecker(jwks, issuer, clientId, alg));
    }

    /** Whether a group of levels is in the plan: all of them unless --only names some (e.g. --only card-ecp384). */
    private boolean planned(String group) {
        String only = opts.get("only");
        return only == null || List.of(only.split(",")).contains(group);
    }

    /** Runs {@code concurrency} virtual clients for {@code seconds}; records the result unless it is the warm-up. */
    private void flows(String name, FlowDriver.Setup setup, FlowDriver.Mode mode, List<SandboxCards.Card> cards, int concurrency,
            double seconds, boolean record) throws InterruptedException {
        Samples[][] steps = new Samples[concurrency][FlowDriver.STEPS.length];
        Samples[] total = new Samples[concurrency];
        long[] handshakes = new long[concurrency];
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        Thread[] threads = new Thread[concurrency];
        double load0 = ProcessMeter.loadAverage();
        double cpu0 = server.serverCpuSeconds(), gen0 = ProcessMeter.generatorCpuSeconds();
        Map<String, ProcessMeter.ThreadCpu> threads0 = server.serverThreads();
        long t0 = System.nanoTime();
        for (int i = 0; i < concurrency; i++) {
            final int id = i;
            for (int s = 0; s < FlowDriver.STEPS.length; s++) steps[i][s] = new Samples();
            total[i] = new Samples();
            threads[i] = new Thread(() -> {
                // each virtual person uses a new browser: fresh TLS state, no session to resume
                FlowDriver.Setup own = new FlowDriver.Setup(setup.publicBase(), setup.mtlsBase(), setup.issuer(), setup.clientId(),
                        setup.redirectUri(), setup.scope(), null, setup.clientTls(), setup.checker());
                FlowDriver d = new FlowDriver(own, mode);
                long[] nanos = new long[FlowDriver.STEPS.length];
                int n = id;
                while (System.nanoTime() < deadline) {
                    try {
                        FlowDriver.Setup perFlow = new FlowDriver.Setup(own.publicBase(), own.mtlsBase(), own.issuer(), own.clientId(),
                                own.redirectUri(), own.scope(), context(null), own.clientTls(), own.checker());
                        d = d.with(perFlow);
                        long f0 = System.nanoTime();
                        d.run(cards.get(n++ % cards.size()), nanos);
                        total[id].add(System.nanoTime() - f0);
                        for (int s = 0; s < nanos.length; s++) steps[id][s].add(nanos[s]);
                    } catch (Exception e) {
                        errorCount.incrementAndGet();
                        synchronized (errors) {
                            if (errors.size() < 5) errors.add(name + " " + mode.label + " c=" + concurrency + ": " + e);
                        }
                    }
                }
                handshakes[id] = d.totalMtlsHandshakes();
                d.close();
            }, "vclient-" + i);
            threads[i].start();
        }
        double rssMax = sampleRssUntilDone(threads);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        double cpu = server.serverCpuSeconds() - cpu0, gen = ProcessMeter.generatorCpuSeconds() - gen0;
        Map<String, ProcessMeter.ThreadCpu> threads1 = server.serverThreads();
        if (!record) return;
        Samples all = new Samples();
        for (Samples s : total) all.addAll(s);
        long flows = all.size();
        long hs = 0;
        for (long h : handshakes) hs += h;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("name", name);
        r.put("mode", mode.label);
        r.put("id_token_alg", setup.clientId().equals("demo-client") ? "ES256" : "RS256");
        r.put("cards", cards.stream().map(SandboxCards.Card::id).toList());
        r.put("concurrency", concurrency);
        r.put("seconds", round(elapsed));
        r.put("flows", flows);
        r.put("flows_per_second", round(flows / elapsed));
        Map<String, Object> lat = new LinkedHashMap<>();
        for (int s = 0; s < FlowDriver.STEPS.length; s++) {
            Samples m = new Samples();
            for (int i = 0; i < concurrency; i++) m.addAll(steps[i][s]);
            lat.put(FlowDriver.STEPS[s], percentiles(m));
        }
        lat.put("flow", percentiles(all));
        r.put("latency_ms", lat);
        r.put("server_cpu_s_per_1000_flows", round(cpu / flows * 1000));
        r.put("server_cpu_cores", round(cpu / elapsed));
        r.put("server_cpu_s_per_1000_flows_marginal", round((cpu - idleCores * elapsed) / flows * 1000));
        Map<String, Object> byGroup = new LinkedHashMap<>();
        ProcessMeter.cpuByGroup(threads0, threads1, cpu).forEach((g, s) -> byGroup.put(g, round(s / flows * 1000)));
        r.put("server_cpu_ms_per_flow_by_thread_group", byGroup);
        r.put("server_rss_max_mib", round(rssMax));
        r.put("generator_cpu_s_per_1000_flows", round(gen / flows * 1000));
        r.put("generator_cpu_cores", round(gen / elapsed));
        r.put("mtls_handshakes_per_flow", round((double) hs / Math.max(1, flows)));
        r.put("load_average", List.of(load0, ProcessMeter.loadAverage()));
        results.add(r);
        System.out.printf(Locale.ROOT, "bench: %-12s %-17s c=%-3d %6.1f flows/s  flow p50 %6.1f ms  server %5.1f ms CPU/flow (requests %.1f)  generator %4.2f cores  load %.1f%n",
                name, mode.label, concurrency, flows / elapsed, all.percentileMs(50), cpu / flows * 1000, byGroup.get("requests"), gen / elapsed, ProcessMeter.loadAverage());
    }

    /**
     * The server's CPU use with no requests (JIT compilation still catching up, GC, the store's
     * purge): subtracted from each level's CPU to give the marginal CPU per flow beside the gross.
     */
    private void idleServer(double seconds) throws InterruptedException {
        // right after the warm-up the JIT is still compiling what it saw (here up to a whole core
        // for several seconds): wait for that to settle, at most 30 s, so "idle" means idle
        long settleDeadline = System.nanoTime() + 30_000_000_000L;
        double busy;
        do {
            double c0 = server.serverCpuSeconds();
            Thread.sleep(2000);
            busy = (server.serverCpuSeconds() - c0) / 2;
        } while (busy > 0.1 && System.nanoTime() < settleDeadline);
        double cpu0 = server.serverCpuSeconds();
        long t0 = System.nanoTime();
        Thread.sleep((long) (seconds * 1000));
        idleCores = (server.serverCpuSeconds() - cpu0) / ((System.nanoTime() - t0) / 1e9);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("name", "server-idle");
        r.put("seconds", seconds);
        r.put("server_cpu_cores", round(idleCores));
        results.add(r);
        System.out.printf(Locale.ROOT, "bench: server idle for %.0f s: %.3f cores busy without requests%n", seconds, idleCores);
    }

    private double idleCores = 0;

    /** Requests per second for a static resource on one connector: what the server costs without our code. */
    private void staticFloor(String name, URI base, SSLContext tls, String path, int concurrency, double seconds) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        Samples[] lat = new Samples[concurrency];
        Thread[] threads = new Thread[concurrency];
        double cpu0 = server.serverCpuSeconds(), gen0 = ProcessMeter.generatorCpuSeconds();
        long t0 = System.nanoTime();
        for (int i = 0; i < concurrency; i++) {
            final int id = i;
            lat[i] = new Samples();
            threads[i] = new Thread(() -> {
                try (Http1Connection c = new Http1Connection(base.getHost(), base.getPort(), tls != null ? tls : context(null))) {
                    while (System.nanoTime() < deadline) {
                        long s = System.nanoTime();
                        Http1Connection.Response r = c.get(path, Map.of("Accept", "*/*"));
                        if (r.status() != 200) throw new IllegalStateException(path + " answered " + r.status());
                        lat[id].add(System.nanoTime() - s);
                    }
                } catch (Exception e) {
                    errorCount.incrementAndGet();
                    synchronized (errors) {
                        errors.add(name + ": " + e);
                    }
                }
            });
            threads[i].start();
        }
        sampleRssUntilDone(threads);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        double cpu = server.serverCpuSeconds() - cpu0, gen = ProcessMeter.generatorCpuSeconds() - gen0;
        Samples all = new Samples();
        for (Samples s : lat) all.addAll(s);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("name", name);
        r.put("mode", "keep-alive");
        r.put("path", path);
        r.put("concurrency", concurrency);
        r.put("seconds", round(elapsed));
        r.put("requests", all.size());
        r.put("requests_per_second", round(all.size() / elapsed));
        r.put("latency_ms", percentiles(all));
        r.put("server_cpu_ms_per_request", round(cpu / all.size() * 1000));
        r.put("generator_cpu_cores", round(gen / elapsed));
        results.add(r);
        System.out.printf(Locale.ROOT, "bench: %-20s c=%-3d %8.0f req/s  p50 %5.2f ms  server %.3f ms CPU/request%n",
                name, concurrency, all.size() / elapsed, all.percentileMs(50), cpu / all.size() * 1000);
    }

    private double sampleRssUntilDone(Thread[] threads) throws InterruptedException {
        double max = Double.NaN;
        for (Thread t : threads) {
            while (t.isAlive()) {
                double rss = server.serverRssMiB(false);
                if (!(rss <= max)) max = rss;
                t.join(250);
            }
        }
        return max;
    }

    private static Map<String, Object> percentiles(Samples s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("p50", round(s.percentileMs(50)));
        m.put("p95", round(s.percentileMs(95)));
        m.put("p99", round(s.percentileMs(99)));
        return m;
    }

    static double round(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return -1;
        return Math.round(v * 1000) / 1000.0;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> readMicro() throws Exception {
        String file = opts.get("micro-json");
        if (file == null || !Files.exists(Path.of(file))) return null;
        return Json.readObject(Files.readString(Path.of(file)));
    }

    /**
     * The efficiency ratio: the crypto a flow cannot avoid (from the JMH run), over the server's
     * measured CPU per flow. Per mode: keep-alive pays one server-authenticated handshake (the new
     * browser); new connections add two mTLS handshakes (token, userinfo), full or resumed.
     */
    private void addEfficiency(Map<String, Object> micro) {
        if (micro == null) return;
        Map<String, Object> us = CryptoFloor.floorsMs(micro);
        for (Map<String, Object> r : results) {
            if (!r.containsKey("flows")) continue;
            String alg = (String) r.get("id_token_alg");
            @SuppressWarnings("unchecked") List<String> cards = (List<String>) r.get("cards");
            double floor = CryptoFloor.perFlowMs(us, (String) r.get("mode"), alg, cards);
            double measured = ((Number) r.get("server_cpu_s_per_1000_flows")).doubleValue(); // s per 1000 = ms per flow
            r.put("crypto_floor_ms_per_flow", round(floor));
            r.put("efficiency", round(floor / measured));
            r.put("efficiency_marginal", round(floor / ((Number) r.get("server_cpu_s_per_1000_flows_marginal")).doubleValue()));
            // a freshly started JVM still compiles during the first minutes of load; a server that
            // has run for hours does not: beside the gross ratio, the ratio without the compilers
            double jit = ((Number) ((Map<?, ?>) r.get("server_cpu_ms_per_flow_by_thread_group")).get("jit")).doubleValue();
            r.put("efficiency_without_jit", round(floor / (measured - jit)));
        }
    }

    private void printTable() {
        System.out.println();
        System.out.println(String.format(Locale.ROOT, "%-12s %-17s %4s %8s %9s %9s %9s %9s %9s %8s %8s %7s %6s",
                "run", "mode", "c", "flows/s", "flow p50", "flow p99", "token p99", "uinfo p99", "srvCPU/fl", "floor/fl", "effic.", "genCPU", "RSS")
                + "   marg.CPU/fl eff.marg. eff.noJIT");
        for (Map<String, Object> r : results) {
            if (r.get("name").equals("server-idle")) {
                System.out.println(String.format(Locale.ROOT, "%-12s server busy %.3f cores with no requests (subtracted in 'marg.')", "server-idle", r.get("server_cpu_cores")));
                continue;
            }
            if (!r.containsKey("flows")) {
                System.out.println(String.format(Locale.ROOT, "%-12s %-17s %4d %8.0f req/s   p50 %.2f ms   server %.3f ms CPU/request",
                        r.get("name"), r.get("path"), r.get("concurrency"), r.get("requests_per_second"),
                        ((Map<?, ?>) r.get("latency_ms")).get("p50"), r.get("server_cpu_ms_per_request")));
                continue;
            }
            Map<?, ?> lat = (Map<?, ?>) r.get("latency_ms");
            System.out.println(String.format(Locale.ROOT, "%-12s %-17s %4d %8.1f %9.1f %9.1f %9.1f %9.1f %9.2f %8s %8s %7.2f %6.0f",
                    r.get("name") + (r.get("id_token_alg").equals("RS256") ? "" : ""), r.get("mode"), r.get("concurrency"), r.get("flows_per_second"),
                    ((Map<?, ?>) lat.get("flow")).get("p50"), ((Map<?, ?>) lat.get("flow")).get("p99"),
                    ((Map<?, ?>) lat.get("token")).get("p99"), ((Map<?, ?>) lat.get("userinfo")).get("p99"),
                    r.get("server_cpu_s_per_1000_flows"), r.containsKey("crypto_floor_ms_per_flow") ? String.format(Locale.ROOT, "%.2f", r.get("crypto_floor_ms_per_flow")) : "-",
                    r.containsKey("efficiency") ? String.format(Locale.ROOT, "%.2f", r.get("efficiency")) : "-",
                    r.get("generator_cpu_cores"), r.get("server_rss_max_mib"))
                    + String.format(Locale.ROOT, "   %9.2f %8s %9s", r.get("server_cpu_s_per_1000_flows_marginal"),
                    r.containsKey("efficiency_marginal") ? String.format(Locale.ROOT, "%.2f", r.get("efficiency_marginal")) : "-",
                    r.containsKey("efficiency_without_jit") ? String.format(Locale.ROOT, "%.2f", r.get("efficiency_without_jit")) : "-"));
        }
        System.out.println("(latencies ms; srvCPU/fl and floor/fl: server CPU ms per flow; genCPU: generator cores busy; RSS: server MiB max during the level;"
                + " eff.noJIT: the floor over the CPU per flow without the JIT compiler threads)");
        System.out.println();
        System.out.println(String.format(Locale.ROOT, "%-12s %-17s %4s", "run", "mode", "c")
                + " server CPU ms per flow by thread group: " + String.join(" / ", ProcessMeter.THREAD_GROUPS));
        for (Map<String, Object> r : results) {
            if (!r.containsKey("server_cpu_ms_per_flow_by_thread_group")) continue;
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-12s %-17s %4d ", r.get("name"), r.get("mode"), r.get("concurrency")));
            for (Object v : ((Map<?, ?>) r.get("server_cpu_ms_per_flow_by_thread_group")).values()) line.append(String.format(Locale.ROOT, " %8.2f", v));
            System.out.println(line);
        }
        System.out.println("(requests: connector and request threads; jit: C1/C2 compilers; gc: GC and VM threads; store-background: H2's writers;"
                + " housekeeping: the purge; other: the rest and ended threads)");
        System.out.println();
    }

    private void loadTls() throws Exception {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        int i = 0;
        for (X509Certificate ca : Pem.certificates(demo.resolve("ca.pem"))) ts.setCertificateEntry("ca" + i++, ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        trust = tmf.getTrustManagers();
        List<X509Certificate> chain = Pem.certificates(demo.resolve("demo-client.pem"));
        PrivateKey key = Pem.privateKey(demo.resolve("demo-client-key.pem"));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("client", key, new char[0], chain.toArray(new X509Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        clientKeys = kmf.getKeyManagers();
        sharedClientTls = context(clientKeys);
    }

    /** A new SSL context: its own session cache, so nothing is resumed from another context's sessions. */
    private SSLContext context(KeyManager[] keys) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keys, trust, null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException("cannot build an SSL context", e);
        }
    }

    private String mtlsGet(String path) throws Exception {
        try (Http1Connection c = new Http1Connection(mtlsBase.getHost(), mtlsBase.getPort(), sharedClientTls)) {
            Http1Connection.Response r = c.get(path, Map.of("Accept", "application/json"));
            if (r.status() != 200) throw new IllegalStateException(path + " answered " + r.status() + ": " + r.body());
            return r.body();
        }
    }

    private static Map<String, Object> json(String s) throws Exception {
        return Json.readObject(s);
    }

    private static int[] parseLevels(String s) {
        String[] p = s.split(",");
        int[] out = new int[p.length];
        for (int i = 0; i < p.length; i++) out[i] = Integer.parseInt(p[i].trim());
        return out;
    }
}
