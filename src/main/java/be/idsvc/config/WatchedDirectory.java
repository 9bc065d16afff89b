package be.idsvc.config;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The files of a configuration directory, each parsed on its own and re-read when it is added,
 * removed or changed; a change is seen within {@link #CHECK_INTERVAL_MILLIS}, so trust changes take
 * effect without a restart.
 *
 * <p>Fails closed, file by file (DESIGN §3): a file that does not parse is left out, together with
 * whatever it describes, and logged; its previous version is never kept, because keeping it would
 * keep a revoked pin or CA trusted. A removed file is gone at the next check, whatever the other
 * files hold. The same rule holds at start-up, so a server that runs also restarts.
 *
 * <p>The interval is measured on the injected {@link Clock} (docs/decisions.md, "issue 14: injected
 * time"), so tests move a clock instead of sleeping. When that clock steps back, the directory is
 * re-read at once rather than after the step has been made up: a backwards step must never hold
 * back a removed pin or CA.
 */
public final class WatchedDirectory<T> {
    public static final long CHECK_INTERVAL_MILLIS = 1000;
    private static final Logger LOG = Logger.getLogger(WatchedDirectory.class.getName());

    /** Parses one file; throws (any RuntimeException, its message saying why) when it does not parse. */
    @FunctionalInterface
    public interface FileParser<T> {
        T parse(Path file, byte[] content);
    }

    /**
     * The directory as last read: what each good file holds and why each other file was left out,
     * both by path in name order. The same object for as long as no file changes, so derived values
     * can be cached on its identity.
     */
    public record Contents<T>(Map<Path, T> parsed, Map<Path, String> broken) {
        public List<T> values() {
            return List.copyOf(parsed.values());
        }
    }

    private record FileState<T>(String stamp, T value, String error) {}

    private record Loaded<T>(Map<Path, FileState<T>> files, Contents<T> contents, long checkedAt) {}

    private final Path dir;
    private final String glob;
    private final FileParser<T> parser;
    private final Clock clock;
    private volatile Loaded<T> loaded;

    public WatchedDirectory(Path dir, String glob, FileParser<T> parser, Clock clock) {
        this.dir = dir;
        this.glob = glob;
        this.parser = parser;
        this.clock = clock;
        this.loaded = load(Map.of(), null, clock.millis());
    }

    public Path dir() {
        return dir;
    }

    public Contents<T> get() {
        Loaded<T> l = loaded;
        long now = clock.millis();
        if (fresh(l, now)) return l.contents;
        synchronized (this) {
            l = loaded;
            now = clock.millis(); // after the lock: another thread may have just re-read at a later instant
            if (fresh(l, now)) return l.contents;
            loaded = load(l.files, l.contents, now);
            return loaded.contents;
        }
    }

    private static boolean fresh(Loaded<?> l, long now) {
        long age = now - l.checkedAt;
        return age >= 0 && age < CHECK_INTERVAL_MILLIS;
    }

    /** A value computed from the contents, recomputed only when they change (and then the same object until the next change). */
    public <R> Supplier<R> derived(Function<Contents<T>, R> f) {
        // on every request's path: a volatile read, no lock; two threads may both compute after a
        // change, and either result is the same value
        record Memo<T, R>(Contents<T> from, R value) {}
        return new Supplier<>() {
            private volatile Memo<T, R> memo;

            @Override
            public R get() {
                Contents<T> now = WatchedDirectory.this.get();
                Memo<T, R> m = memo;
                if (m != null && m.from == now) return m.value;
                m = new Memo<>(now, f.apply(now));
                memo = m;
                return m.value;
            }
        };
    }

    private Loaded<T> load(Map<Path, FileState<T>> before, Contents<T> previous, long now) {
        Map<Path, String> stamps = stamps();
        Map<Path, FileState<T>> files = new TreeMap<>();
        List<String> changes = new ArrayList<>();
        for (Map.Entry<Path, String> e : stamps.entrySet()) {
            Path f = e.getKey();
            FileState<T> old = before.get(f);
            if (old != null && old.stamp.equals(e.getValue())) {
                files.put(f, old);
                continue;
            }
            FileState<T> state = parse(f, e.getValue());
            if (state == null) continue; // removed between listing and reading
            files.put(f, state);
            changes.add(f.getFileName().toString());
            if (state.error != null) {
                LOG.severe(() -> "left out " + f + " until it parses, and with it what it describes: " + state.error);
            }
        }
        for (Path f : before.keySet()) {
            if (!files.containsKey(f)) changes.add(f.getFileName() + " (removed)");
        }
        if (previous != null && changes.isEmpty() && files.keySet().equals(before.keySet())) {
            return new Loaded<>(files, previous, now);
        }
        if (previous != null) LOG.info(() -> "reloaded " + dir + ": " + String.join(", ", changes));
        Map<Path, T> parsed = new TreeMap<>();
        Map<Path, String> broken = new TreeMap<>();
        files.forEach((f, s) -> {
            if (s.error == null) parsed.put(f, s.value);
            else broken.put(f, s.error);
        });
        return new Loaded<>(files, new Contents<>(Collections.unmodifiableMap(parsed), Collections.unmodifiableMap(broken)), now);
    }

    private FileState<T> parse(Path f, String stamp) {
        byte[] content;
        try {
            content = Files.readAllBytes(f);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return new FileState<>(stamp, null, "cannot read it: " + e);
        }
        try {
            return new FileState<>(stamp, parser.parse(f, content), null);
        } catch (RuntimeException e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            String prefix = f + ": ";
            return new FileState<>(stamp, null, why.startsWith(prefix) ? why.substring(prefix.length()) : why);
        }
    }

    /**
     * Each file's modification time, size and file key (inode): the admin CLI replaces files by
     * renaming a new one over them, so the file key changes even when time and size do not.
     */
    private Map<Path, String> stamps() {
        Map<Path, String> out = new TreeMap<>();
        if (!Files.isDirectory(dir)) return out;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, glob)) {
            for (Path f : files) {
                try {
                    BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                    if (!a.isRegularFile()) continue;
                    out.put(f, a.lastModifiedTime().toMillis() + ":" + a.size() + ":" + a.fileKey());
                } catch (NoSuchFileException e) {
                    // removed while listing
                }
            }
        } catch (IOException e) {
            // an unreadable directory trusts nothing it holds
            LOG.severe(() -> "cannot list " + dir + ", so nothing in it is trusted: " + e);
            return Map.of();
        }
        return out;
    }
}
