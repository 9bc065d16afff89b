package be.idsvc.config;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The parsed contents of a directory of configuration files, re-read when a file is added, removed
 * or changed. Trust changes made by the admin CLI take effect without a restart; a change is seen
 * within {@link #CHECK_INTERVAL_MILLIS}. A directory that no longer parses keeps the last good
 * contents (fail closed would lock every client out over one typo) and logs why.
 */
public final class WatchedDirectory<T> {
    public static final long CHECK_INTERVAL_MILLIS = 1000;
    private static final Logger LOG = Logger.getLogger(WatchedDirectory.class.getName());

    private final Path dir;
    private final String glob;
    private final Function<Map<Path, byte[]>, T> parser;
    private volatile Loaded<T> loaded;

    private record Loaded<T>(Map<String, Long> stamp, T value, long checkedAt) {}

    /** Parses eagerly: a home that does not parse at start-up stops the deployment. */
    public WatchedDirectory(Path dir, String glob, Function<Map<Path, byte[]>, T> parser) {
        this.dir = dir;
        this.glob = glob;
        this.parser = parser;
        Map<String, Long> stamp = stamp();
        this.loaded = new Loaded<>(stamp, parser.apply(read()), System.currentTimeMillis());
    }

    public T get() {
        Loaded<T> l = loaded;
        long now = System.currentTimeMillis();
        if (now - l.checkedAt < CHECK_INTERVAL_MILLIS) return l.value;
        synchronized (this) {
            l = loaded;
            if (now - l.checkedAt < CHECK_INTERVAL_MILLIS) return l.value;
            Map<String, Long> stamp = stamp();
            if (stamp.equals(l.stamp)) {
                loaded = new Loaded<>(l.stamp, l.value, now);
                return l.value;
            }
            try {
                T value = parser.apply(read());
                loaded = new Loaded<>(stamp, value, now);
                LOG.info(() -> "reloaded " + dir + " (" + stamp.size() + " files)");
                return value;
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "keeping the previous contents of " + dir + ": " + e.getMessage());
                loaded = new Loaded<>(stamp, l.value, now);
                return l.value;
            }
        }
    }

    private Map<String, Long> stamp() {
        Map<String, Long> out = new TreeMap<>();
        if (!Files.isDirectory(dir)) return out;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, glob)) {
            for (Path f : files) {
                out.put(f.getFileName().toString(), Files.getLastModifiedTime(f).toMillis() * 31 + Files.size(f));
            }
        } catch (IOException e) {
            throw new ConfigurationException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    private Map<Path, byte[]> read() {
        Map<Path, byte[]> out = new TreeMap<>();
        if (!Files.isDirectory(dir)) return out;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, glob)) {
            for (Path f : files) out.put(f, Files.readAllBytes(f));
        } catch (IOException e) {
            throw new ConfigurationException("cannot read " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }
}
