package be.idsvc.config;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files of a home directory matching a glob, in name order, so whatever is derived from them
 * (truststore aliases, CLI listings) comes out the same on every run. Callers decide what an
 * unreadable directory means: the trust material trusts nothing in it, the CLI stops.
 */
public final class DirectoryListing {
    private DirectoryListing() {}

    /** Sorted entries of {@code dir} matching {@code glob}; none when {@code dir} is not a directory. */
    public static List<Path> sorted(Path dir, String glob) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob)) {
            ds.forEach(out::add);
        }
        out.sort(null);
        return out;
    }

    /** The file name without its last extension ({@code demo-ca.pem} → {@code demo-ca}). */
    public static String stem(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
