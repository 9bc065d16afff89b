package be.idsvc.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs a server script of scripts/ (tomcat, wildfly) as the harnesses use them: bounded, output kept. */
final class ServerScript {
    private ServerScript() {}

    /** Runs {@code scripts/<script> <command>} with {@code env}; fails with the script's output unless it exits 0. */
    static void run(Path project, String script, String command, Map<String, String> env, int timeoutSeconds) {
        String name = "scripts/" + script + " " + command;
        ProcessBuilder pb = new ProcessBuilder(project.resolve("scripts/" + script).toString(), command)
                .directory(project.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Thread pump = new Thread(() -> copy(p.getInputStream(), out), script + "-script-output");
            pump.setDaemon(true);
            pump.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(name + " did not finish in " + timeoutSeconds + " s");
            }
            pump.join(5000);
            String text = out.toString(StandardCharsets.UTF_8);
            System.out.print(text);
            if (p.exitValue() != 0) throw new IllegalStateException(name + " failed (exit " + p.exitValue() + "):\n" + text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + name, e);
        }
    }

    static void deleteRecursively(Path p) {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + p, e);
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException ignored) {
            // the process ended
        }
    }

    static Map<String, String> env(String... keysAndValues) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) m.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
