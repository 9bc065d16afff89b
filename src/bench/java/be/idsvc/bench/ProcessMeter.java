package be.idsvc.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

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
