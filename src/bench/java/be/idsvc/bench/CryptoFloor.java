package be.idsvc.bench;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import be.idsvc.config.ServiceHome;
import be.idsvc.config.SigningKeys;
import be.idsvc.eid.EidTrustConfig;
import be.idsvc.eid.Readout;
import be.idsvc.eid.ReadoutVerifier;
import be.idsvc.identify.SandboxCards;
import be.idsvc.json.Json;
import be.idsvc.pki.Pem;

/**
 * The crypto floor: the CPU time of the cryptographic operations a flow cannot avoid, with the
 * service's own code and keys from the demo home (-Dbench.home, -Dbench.demo): the ID token
 * signature, the readout's verification (file signatures, RRN and citizen-CA checks, the card's
 * signature over the challenge), and the TLS handshakes (in memory, SSLEngine to SSLEngine, with
 * the server's certificate and the client's; the server's share is timed separately, because
 * only that share is the server's CPU).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m"})
public class CryptoFloor {

    @State(Scope.Benchmark)
    public static class Keys {
        PublicJsonWebKey es256, rs256;
        ReadoutVerifier verifier;
        Readout rsaReadout, ecReadout;
        byte[] challenge = new byte[32];
        String payload;

        @Setup
        public void load() throws Exception {
            Path home = Path.of(System.getProperty("bench.home", "target/demo/home"));
            SigningKeys keys = SigningKeys.load(ServiceHome.at(home), java.time.Clock.systemUTC());
            es256 = keys.signingKey("ES256");
            rs256 = keys.signingKey("RS256");
            verifier = new EidTrustConfig(ServiceHome.at(home), java.time.Clock.systemUTC()).verifier().orElseThrow();
            new SecureRandom().nextBytes(challenge);
            SandboxCards cards = new SandboxCards(home.resolve("sandbox/cards"));
            SandboxCards.Card alice = cards.find("alice").orElseThrow(), bob = cards.find("bob").orElseThrow();
            rsaReadout = alice.readout().withAuthSignature(alice.signChallenge(challenge));
            ecReadout = bob.readout().withAuthSignature(bob.signChallenge(challenge));
            JwtClaims c = new JwtClaims();
            c.setIssuer("https://localhost:9443");
            c.setSubject("d0KDhRDBexampleexampleexampleexampleexample");
            c.setAudience("demo-client");
            c.setClaim("azp", "demo-client");
            c.setClaim("exp", 1800000000L);
            c.setClaim("iat", 1700000000L);
            c.setClaim("auth_time", 1700000000L);
            c.setClaim("nonce", "nonce-nonce-nonce-nonce-nonce-nonce-nonce-n");
            c.setClaim("acr", "urn:be:idsvc:acr:sandbox-test");
            c.setStringListClaim("amr", List.of("test"));
            c.setClaim("at_hash", "abcdefghijklmnopqrstuv");
            payload = c.toJson();
        }

        String sign(PublicJsonWebKey key, String alg) throws Exception {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(payload);
            jws.setAlgorithmHeaderValue(alg);
            jws.setKeyIdHeaderValue(key.getKeyId());
            jws.setHeader("typ", "JWT");
            jws.setKey(key.getPrivateKey());
            return jws.getCompactSerialization();
        }
    }

    /**
     * CPU time per operation of the benchmark thread (ThreadMXBean), beside JMH's wall time: on a
     * shared, loaded machine wall time is inflated by waiting for a core, CPU time is not, and the
     * server's cost is compared in CPU time. The median of the measurement iterations is reported.
     */
    @State(Scope.Thread)
    public static class Cpu {
        static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
        long start, ops, serverCpu;
        final List<double[]> perIteration = new ArrayList<>();

        @Setup(Level.Iteration)
        public void begin() {
            ops = 0;
            serverCpu = 0;
            start = MX.getCurrentThreadCpuTime();
        }

        @TearDown(Level.Iteration)
        public void end() {
            long cpu = MX.getCurrentThreadCpuTime() - start;
            if (ops > 0) perIteration.add(new double[] {cpu / 1e3 / ops, serverCpu / 1e3 / ops});
        }

        @TearDown(Level.Trial)
        public void report(BenchmarkParams p) throws Exception {
            int n = Math.min(perIteration.size(), p.getMeasurement().getCount());
            List<double[]> m = new ArrayList<>(perIteration.subList(perIteration.size() - n, perIteration.size()));
            double cpu = median(m, 0), server = median(m, 1);
            String name = p.getBenchmark().substring(p.getBenchmark().lastIndexOf('.') + 1);
            Path out = Path.of(System.getProperty("bench.out", "target/bench"));
            Files.createDirectories(out);
            Files.writeString(out.resolve("cpu-" + name + ".txt"), cpu + " " + server);
        }

        private static double median(List<double[]> l, int i) {
            double[] v = l.stream().mapToDouble(a -> a[i]).sorted().toArray();
            return v.length == 0 ? Double.NaN : v[v.length / 2];
        }
    }

    @Benchmark
    public String idTokenEs256(Keys k, Cpu c) throws Exception {
        c.ops++;
        return k.sign(k.es256, "ES256");
    }

    @Benchmark
    public String idTokenRs256(Keys k, Cpu c) throws Exception {
        c.ops++;
        return k.sign(k.rs256, "RS256");
    }

    @Benchmark
    public Object readoutRsa2048Card(Keys k, Cpu c) throws Exception {
        c.ops++;
        return k.verifier.verify(k.rsaReadout, k.challenge, true);
    }

    @Benchmark
    public Object readoutEcP384Card(Keys k, Cpu c) throws Exception {
        c.ops++;
        return k.verifier.verify(k.ecReadout, k.challenge, true);
    }

    /** Two SSL contexts as the server and a client hold them; the server's time is counted apart. */
    @State(Scope.Thread)
    public static class Tls {
        SSLContext server, browser, client;
        long handshakes;

        @Setup
        public void load() throws Exception {
            Path home = Path.of(System.getProperty("bench.home", "target/demo/home"));
            Path demo = Path.of(System.getProperty("bench.demo", "target/demo"));
            server = context(home.resolve("tls/server.pem"), home.resolve("tls/server-key.pem"), demo.resolve("ca.pem"));
            browser = context(null, null, demo.resolve("ca.pem"));
            client = context(demo.resolve("demo-client.pem"), demo.resolve("demo-client-key.pem"), demo.resolve("ca.pem"));
        }

        private static SSLContext context(Path cert, Path key, Path ca) throws Exception {
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            int i = 0;
            for (X509Certificate c : Pem.certificates(ca)) ts.setCertificateEntry("ca" + i++, c);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ts);
            KeyManagerFactory kmf = null;
            if (cert != null) {
                List<X509Certificate> chain = Pem.certificates(cert);
                PrivateKey pk = Pem.privateKey(key);
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry("k", pk, new char[0], chain.toArray(new X509Certificate[0]));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, new char[0]);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        }

        /** One complete handshake in memory (the JDK's SSLEngine demo loop); returns the client's session. */
        Object handshake(SSLContext clientCtx, boolean mutual, boolean resume, Cpu cpu) throws SSLException {
            cpu.ops++;
            // same peer host and port: the client's session cache offers its last session (resumption);
            // another port each time: nothing to resume
            SSLEngine c = clientCtx.createSSLEngine("localhost", resume ? 9443 : (int) (handshakes % 60000) + 1);
            c.setUseClientMode(true);
            long t = Cpu.MX.getCurrentThreadCpuTime();
            SSLEngine s = server.createSSLEngine();
            s.setUseClientMode(false);
            s.setNeedClientAuth(mutual);
            cpu.serverCpu += Cpu.MX.getCurrentThreadCpuTime() - t;
            ByteBuffer cToS = ByteBuffer.allocate(1 << 17), sToC = ByteBuffer.allocate(1 << 17);
            ByteBuffer cApp = ByteBuffer.allocate(1 << 17), sApp = ByteBuffer.allocate(1 << 17);
            ByteBuffer empty = ByteBuffer.allocate(0);
            for (int i = 0; i < 60; i++) {
                c.wrap(empty, cToS);
                tasks(c);
                t = Cpu.MX.getCurrentThreadCpuTime();
                s.wrap(empty, sToC);
                tasks(s);
                cpu.serverCpu += Cpu.MX.getCurrentThreadCpuTime() - t;
                cToS.flip();
                sToC.flip();
                c.unwrap(sToC, cApp);
                tasks(c);
                t = Cpu.MX.getCurrentThreadCpuTime();
                s.unwrap(cToS, sApp);
                tasks(s);
                cpu.serverCpu += Cpu.MX.getCurrentThreadCpuTime() - t;
                boolean drained = !cToS.hasRemaining() && !sToC.hasRemaining();
                cToS.compact();
                sToC.compact();
                // done when both finished and the server's session ticket (TLS 1.3) reached the client
                if (drained && done(c) && done(s) && i > 1) break;
            }
            if (!done(c) || !done(s)) throw new SSLException("handshake did not finish");
            handshakes++;
            return c.getSession();
        }

        private static boolean done(SSLEngine e) {
            return e.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING;
        }

        private static void tasks(SSLEngine e) {
            Runnable r;
            while ((r = e.getDelegatedTask()) != null) r.run();
        }
    }

    @Benchmark
    public Object tlsPublicFullHandshake(Tls t, Cpu c) throws Exception {
        return t.handshake(t.browser, false, false, c);
    }

    @Benchmark
    public Object tlsMtlsFullHandshake(Tls t, Cpu c) throws Exception {
        return t.handshake(t.client, true, false, c);
    }

    @Benchmark
    public Object tlsMtlsResumedHandshake(Tls t, Cpu c) throws Exception {
        return t.handshake(t.client, true, true, c);
    }

    /** Runs the benchmarks and writes micro.json: each operation's time in µs, handshakes also as the server's share. */
    public static void main(String[] args) throws Exception {
        // --quick: seconds, for a smoke test; --short: the default run's (~1 min); neither: --micro's long run
        boolean quick = List.of(args).contains("--quick"), brief = List.of(args).contains("--short");
        Path out = Path.of(System.getProperty("bench.out", "target/bench"));
        Files.createDirectories(out);
        OptionsBuilder o = new OptionsBuilder();
        o.include(CryptoFloor.class.getName() + "\\.");
        o.warmupIterations(quick ? 1 : brief ? 3 : 5).warmupTime(TimeValue.seconds(quick ? 1 : brief ? 1 : 2));
        o.measurementIterations(quick ? 2 : brief ? 4 : 5).measurementTime(TimeValue.seconds(quick ? 1 : brief ? 1 : 2));
        o.forks(1);
        o.jvmArgsAppend("-Dbench.home=" + System.getProperty("bench.home", "target/demo/home"),
                "-Dbench.demo=" + System.getProperty("bench.demo", "target/demo"), "-Dbench.out=" + out);
        Collection<RunResult> results = new Runner(o.build()).run();
        Map<String, Object> us = new LinkedHashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.') + 1);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("us_per_op", FlowBench.round(r.getPrimaryResult().getScore()));
            m.put("error_us", FlowBench.round(r.getPrimaryResult().getScoreError()));
            Path cpu = out.resolve("cpu-" + name + ".txt");
            if (Files.exists(cpu)) {
                String[] v = Files.readString(cpu).trim().split(" ");
                m.put("cpu_us_per_op", FlowBench.round(Double.parseDouble(v[0])));
                if (name.startsWith("tls")) m.put("server_cpu_us_per_op", FlowBench.round(Double.parseDouble(v[1])));
            }
            us.put(name, m);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        doc.put("benchmarks", us);
        Files.writeString(out.resolve("micro.json"), Json.write(doc));
        System.out.println("micro: wrote " + out.resolve("micro.json"));
        Map<String, Object> floors = floorsMs(doc);
        System.out.println("micro: floor components (server CPU ms): " + floors);
        for (String mode : new String[] {"keep-alive", "new-conn-resumed", "new-conn-full"}) {
            System.out.printf("micro: crypto floor per flow, %s, ES256: RSA-2048 card %.3f ms, EC P-384 card %.3f ms%n", mode,
                    perFlowMs(floors, mode, "ES256", List.of("alice")), perFlowMs(floors, mode, "ES256", List.of("bob")));
        }
    }

    /** The floor's components in ms of server CPU, from a micro.json document. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> floorsMs(Map<String, Object> micro) {
        Map<String, Object> b = (Map<String, Object>) micro.get("benchmarks");
        Map<String, Object> f = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : b.entrySet()) {
            Map<String, Object> m = (Map<String, Object>) e.getValue();
            // CPU time, and for handshakes only the server's side of it; wall time only as a fallback
            Object v = m.containsKey("server_cpu_us_per_op") ? m.get("server_cpu_us_per_op")
                    : m.containsKey("cpu_us_per_op") ? m.get("cpu_us_per_op") : m.get("us_per_op");
            f.put(e.getKey(), ((Number) v).doubleValue() / 1000.0);
        }
        return f;
    }

    /**
     * What a flow cannot avoid on the server, in ms: verifying the card (per card type, averaged
     * over the cards used), signing the ID token, one server-authenticated full handshake for the
     * person's new browser, and in the new-connection modes two mTLS handshakes (token, userinfo).
     */
    static double perFlowMs(Map<String, Object> f, String mode, String alg, List<String> cards) {
        double card = 0;
        for (String c : cards) card += c.equals("bob") ? d(f, "readoutEcP384Card") : d(f, "readoutRsa2048Card");
        card /= cards.size();
        double sign = alg.equals("RS256") ? d(f, "idTokenRs256") : d(f, "idTokenEs256");
        double tls = d(f, "tlsPublicFullHandshake");
        if (mode.equals("new-conn-resumed")) tls += 2 * d(f, "tlsMtlsResumedHandshake");
        if (mode.equals("new-conn-full")) tls += 2 * d(f, "tlsMtlsFullHandshake");
        return card + sign + tls;
    }

    private static double d(Map<String, Object> f, String k) {
        Object v = f.get(k);
        return v == null ? Double.NaN : ((Number) v).doubleValue();
    }
}
