package be.idsvc.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import be.idsvc.admin.IdsvcCli;

/** The admin CLI, run in-process against the running server's service home, as an operator would. */
final class AdminCli {
    private AdminCli() {}

    /** Runs {@code idsvc --home HOME args…} and fails the test unless it exits 0; returns its output. */
    static String run(ServerUnderTest s, String... args) {
        return run(s.home(), args);
    }

    /** Runs {@code idsvc --home HOME args…} and fails the test unless it exits 0; returns its output. */
    static String run(java.nio.file.Path home, String... args) {
        List<String> all = new ArrayList<>(List.of("--home", home.toString()));
        all.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = IdsvcCli.run(all.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, rc, "idsvc " + String.join(" ", args) + ": " + err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A PEM text in a temporary file, for the commands that read one. */
    static String file(String pem) {
        try {
            Path f = Files.createTempFile("idsvc-it", ".pem");
            f.toFile().deleteOnExit();
            Files.writeString(f, pem, StandardCharsets.US_ASCII);
            return f.toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
