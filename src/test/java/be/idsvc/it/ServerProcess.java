package be.idsvc.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** A server JVM known by its pid file, killed the hard way. */
final class ServerProcess {
    private ServerProcess() {}

    /** SIGKILL to the process of {@code pidFile}; returns once it is gone. */
    static void kill(Path pidFile) {
        ProcessHandle p = process(pidFile).orElseThrow(() -> new IllegalStateException("no running process in " + pidFile));
        p.destroyForcibly();
        await(p, pidFile);
    }

    /** Waits until the process of {@code pidFile}, if any, has ended. */
    static void awaitExit(Path pidFile) {
        process(pidFile).ifPresent(p -> await(p, pidFile));
    }

    private static void await(ProcessHandle p, Path pidFile) {
        try {
            p.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the process of " + pidFile + " did not end: " + e.getMessage(), e);
        }
    }

    private static Optional<ProcessHandle> process(Path pidFile) {
        if (!Files.isRegularFile(pidFile)) return Optional.empty();
        try {
            String text = Files.readString(pidFile).trim();
            return text.isEmpty() ? Optional.empty() : ProcessHandle.of(Long.parseLong(text)).filter(ProcessHandle::isAlive);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
