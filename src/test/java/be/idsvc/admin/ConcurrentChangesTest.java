package be.idsvc.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import be.idsvc.config.ClientRegistry;
import be.idsvc.pki.CertificateIssuer.Issued;

/**
 * Issue 13, defect 4: {@code pin add} and {@code pin remove} read the registration, changed it and
 * wrote it back without a lock, so two of them at once could resurrect a removed pin while the
 * audit log says it was removed. Here several threads, and several processes, add and remove pins
 * of one client over and over; every command must succeed and the registration must end up as the
 * audit log's last word on every pin says.
 */
class ConcurrentChangesTest extends CliTestSupport {

    @Test
    void threadsAddingAndRemovingPinsOfOneClientAgreeWithTheAuditLog() throws Exception {
        int threads = 4;
        int rounds = 12;
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        List<Thread> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Issued cert = client(demo.ca(), DemoHome.DEMO_CLIENT_DN, 400);
            Path pem = pem("t" + t + ".pem", cert);
            Thread th = new Thread(() -> failures.addAll(Worker.rounds(home, pem, pin(cert), rounds)));
            running.add(th);
            th.start();
        }
        for (Thread th : running) th.join(TimeUnit.MINUTES.toMillis(3));
        assertEquals(List.of(), failures);
        assertAgreesWithTheAuditLog(Set.of(pin(demo.demoClient())));
    }

    @Test
    void processesAddingAndRemovingPinsOfOneClientAgreeWithTheAuditLog() throws Exception {
        int processes = 3;
        int rounds = 8;
        List<Process> running = new ArrayList<>();
        for (int p = 0; p < processes; p++) {
            Issued cert = client(demo.ca(), DemoHome.DEMO_CLIENT_DN, 400);
            Path pem = pem("p" + p + ".pem", cert);
            running.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Worker.class.getName(),
                    home.toString(), pem.toString(), pin(cert), String.valueOf(rounds))
                    .redirectErrorStream(true).start());
        }
        List<String> outputs = new ArrayList<>();
        for (Process p : running) {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(3, TimeUnit.MINUTES));
            if (p.exitValue() != 0) outputs.add("exit " + p.exitValue() + ": " + output);
        }
        assertEquals(List.of(), outputs);
        assertAgreesWithTheAuditLog(Set.of(pin(demo.demoClient())));
    }

    /** The pins of demo-client: exactly those whose last audit line is a {@code pin add}, plus {@code untouched}. */
    private void assertAgreesWithTheAuditLog(Set<String> untouched) throws Exception {
        Map<String, String> lastWord = new HashMap<>();
        for (String line : auditLines()) {
            String[] w = line.split(" ");
            if (w.length == 6 && w[2].equals("pin") && w[4].equals("client=demo-client")) {
                lastWord.put(w[5].substring("x5t=".length()), w[3]);
            }
        }
        Set<String> expected = new TreeSet<>(untouched);
        lastWord.forEach((pin, word) -> {
            if (word.equals("add")) expected.add(pin);
        });
        Path file = home.resolve("clients/demo-client.properties");
        Set<String> actual = new TreeSet<>(ClientRegistry.parse(file, java.nio.file.Files.readAllBytes(file)).pins());
        assertEquals(expected, actual, "the registration disagrees with the audit log");
    }

    /** One worker: {@code rounds} times pin add then pin remove of its certificate; returns what failed. */
    public static final class Worker {
        public static void main(String[] args) {
            List<String> failures = rounds(Path.of(args[0]), Path.of(args[1]), args[2], Integer.parseInt(args[3]));
            failures.forEach(System.err::println);
            System.exit(failures.isEmpty() ? 0 : 1);
        }

        static List<String> rounds(Path home, Path pem, String pin, int rounds) {
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                run(failures, "--home", home.toString(), "pin", "add", "demo-client", pem.toString());
                run(failures, "--home", home.toString(), "pin", "remove", "demo-client", pin);
            }
            return failures;
        }

        private static void run(List<String> failures, String... args) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int rc = IdsvcCli.run(args, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
            if (rc != 0) failures.add(String.join(" ", List.of(args).subList(2, args.length)) + ": " + err.toString(StandardCharsets.UTF_8).strip());
        }
    }
}
