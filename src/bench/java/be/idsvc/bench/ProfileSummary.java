package be.idsvc.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the server's CPU goes per flow: groups the execution samples of a JFR recording
 * (scripts/bench --profile) by purpose, so that the largest costs can be named and compared
 * before and after a change. Each sample goes to the purpose of its innermost frame that matches
 * a marker below (so P-384 arithmetic called by the verifier counts as verification, H2 called by
 * the store as the store); the inclusive shares of the service's own methods follow.
 *
 * <pre>ProfileSummary target/bench/NAME.jfr [target/bench/NAME-profile.txt]</pre>
 */
public final class ProfileSummary {
    /** Purpose → frame prefixes; within one frame the first purpose that matches wins. */
    private static final Map<String, List<String>> PURPOSES = new LinkedHashMap<>();
    static {
        PURPOSES.put("eID readout verification (ReadoutVerifier)", List.of("be.idsvc.eid.", "be.idsvc.identify.ReadoutIdentification"));
        PURPOSES.put("ID token signature", List.of("be.idsvc.token.IdTokenIssuer", "org.jose4j.jws"));
        PURPOSES.put("TLS handshakes and records", List.of("sun.security.ssl.", "javax.net.ssl.SSLEngine", "org.apache.tomcat.util.net.SecureNio"));
        PURPOSES.put("store: H2 and the connection pool", List.of("org.h2.", "org.apache.tomcat.dbcp.", "org.postgresql."));
        PURPOSES.put("store: our code", List.of("be.idsvc.store."));
        PURPOSES.put("page rendering and messages", List.of("be.idsvc.web.Messages", "be.idsvc.web.Html", "be.idsvc.web.Pages"));
        PURPOSES.put("other service code (endpoints, filters, flow logic)", List.of("be.idsvc."));
        PURPOSES.put("Jersey (routing, injection, writing)", List.of("org.glassfish.", "jakarta.ws.rs"));
        PURPOSES.put("Tomcat / Undertow (HTTP, servlets)", List.of("org.apache.catalina.", "org.apache.coyote.", "org.apache.tomcat.", "io.undertow."));
    }
    private static final String OTHER = "other threads (GC, JIT are not sampled; logging, timers)";

    public static void main(String[] args) throws IOException {
        String report = summarize(Path.of(args[0]));
        System.out.print(report);
        if (args.length > 1) Files.writeString(Path.of(args[1]), report);
    }

    static String summarize(Path jfr) throws IOException {
        Map<String, Integer> byPurpose = new LinkedHashMap<>();
        Map<String, Integer> ownInclusive = new TreeMap<>();
        Map<String, Integer> leaves = new TreeMap<>();
        int samples = 0, truncated = 0;
        try (RecordingFile file = new RecordingFile(jfr)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) continue;
                samples++;
                if (e.getStackTrace().isTruncated()) truncated++;
                List<String> frames = new ArrayList<>();
                for (RecordedFrame f : e.getStackTrace().getFrames()) {
                    if (f.getMethod() == null) continue;
                    frames.add(f.getMethod().getType().getName() + "." + f.getMethod().getName());
                }
                byPurpose.merge(purpose(frames), 1, Integer::sum);
                if (!frames.isEmpty()) leaves.merge(frames.get(0), 1, Integer::sum);
                Set<String> seen = new HashSet<>();
                for (String f : frames) {
                    if (f.startsWith("be.idsvc.") && !f.contains("$$Lambda") && seen.add(f)) ownInclusive.merge(f, 1, Integer::sum);
                }
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "profile %s: %d execution samples (%d truncated stacks)%n", jfr.getFileName(), samples, truncated));
        out.append("share of samples by purpose:\n");
        appendTop(out, byPurpose, samples, 20);
        out.append("the service's own methods, inclusive:\n");
        appendTop(out, ownInclusive, samples, 25);
        out.append("innermost frames (where the CPU is spent):\n");
        appendTop(out, leaves, samples, 20);
        return out.toString();
    }

    /** The purpose of the innermost frame that has one: JDK frames (crypto, collections) count for their caller. */
    private static String purpose(List<String> frames) {
        for (String f : frames) {
            for (Map.Entry<String, List<String>> p : PURPOSES.entrySet()) {
                for (String marker : p.getValue()) if (f.startsWith(marker)) return p.getKey();
            }
        }
        return OTHER;
    }

    private static void appendTop(StringBuilder out, Map<String, Integer> counts, int total, int limit) {
        counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(limit)
                .forEach(en -> out.append(String.format(Locale.ROOT, "  %5.1f %%  %s%n", 100.0 * en.getValue() / Math.max(1, total), en.getKey())));
    }
}
