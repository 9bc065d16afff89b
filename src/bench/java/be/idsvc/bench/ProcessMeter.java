package be.idsvc.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time and resident memory of the server process (from /proc, Linux) and of this generator.
 * The server is another process: its CPU seconds are utime+stime of /proc/PID/stat in clock ticks.
 */
final class ProcessMeter {
    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux
    private final long pid;

    ProcessMeter(long pid) {
        this.pid = pid;
    }

    boolean present() {
        return pid > 0 && Files.exists(Path.of("/proc/" + pid + "/stat"));
    }

    /** The server's CPU seconds so far (user + system, all threads). */
    double serverCpuSeconds() {
        if (!present()) return Double.NaN;
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields after "(comm) ": state=0 ... utime=11 stime=12
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Thread groups of the server, by thread name: what its CPU goes to without a profiler. */
    static final String[] THREAD_GROUPS = {"requests", "jit", "gc", "store-background", "housekeeping", "other"};

    private static String threadGroup(String name) {
        if (name.startsWith("https-") || name.startsWith("http-") || name.startsWith("default task") || name.startsWith("XNIO-")
                || name.startsWith("default I/O")) return "requests";
        if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) return "jit";
        if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.equals("VM Thread")) return "gc";
        if (name.startsWith("H2-") || name.startsWith("MVStore")) return "store-background";
        if (name.startsWith("idsvc-")) return "housekeeping";
        return "other";
    }

    /** One live thread of the server: its group and its CPU seconds so far. */
    record ThreadCpu(String group, double seconds) {}

    /** The server's live threads by thread id (empty when the server is gone). */
    Map<String, ThreadCpu> serverThreads() {
        Map<String, ThreadCpu> m = new LinkedHashMap<>();
        if (!present()) return m;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
                    m.put(task.getFileName().toString(), new ThreadCpu(threadGroup(name), cpu));
                } catch (IOException | RuntimeException e) {
                    // the thread ended while we read: its CPU lands in "other"
                }
            }
        } catch (IOException e) {
            // the server is gone: nothing to attribute
        }
        return m;
    }

    /**
     * CPU seconds per thread group between two {@link #serverThreads()} snapshots. Per thread id,
     * so that pooled worker threads that end or start in between (WildFly's) do not shift CPU
     * between groups; what threads that ended spent in between is not visible per thread, so
     * "other" is the process's CPU minus the named groups and absorbs it.
     */
    static Map<String, Double> cpuByGroup(Map<String, ThreadCpu> before, Map<String, ThreadCpu> after, double processSeconds) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (String g : THREAD_GROUPS) m.put(g, 0.0);
        double named = 0;
        for (Map.Entry<String, ThreadCpu> t : after.entrySet()) {
            if (t.getValue().group().equals("other")) continue;
            ThreadCpu was = before.get(t.getKey());
            double spent = t.getValue().seconds() - (was == null ? 0 : was.seconds());
            m.merge(t.getValue().group(), spent, Double::sum);
            named += spent;
        }
        m.put("other", processSeconds - named);
        return m;
    }

    /** The server's resident set now, or its peak so far ({@code VmHWM}), in MiB. */
    double serverRssMiB(boolean peak) {
        if (!present()) return Double.NaN;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(peak ? "VmHWM:" : "VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not readable: reported as NaN
        }
        return Double.NaN;
    }

    /** This generator's CPU seconds so far (all threads). */
    static double generatorCpuSeconds() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) return sun.getProcessCpuTime() / 1e9;
        return Double.NaN;
    }

    /** The 1-minute load average, as uptime shows it. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
