package be.idsvc.bench;

import java.util.Arrays;

/** A growable list of latencies in nanoseconds, with nearest-rank percentiles. */
final class Samples {
    private long[] values = new long[1024];
    private int size;

    void add(long v) {
        if (size == values.length) values = Arrays.copyOf(values, size * 2);
        values[size++] = v;
    }

    void addAll(Samples other) {
        for (int i = 0; i < other.size; i++) add(other.values[i]);
    }

    int size() {
        return size;
    }

    /** The p-th percentile (0 < p ≤ 100) in milliseconds; NaN when empty. */
    double percentileMs(double p) {
        if (size == 0) return Double.NaN;
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * size);
        return sorted[Math.max(0, Math.min(size - 1, rank - 1))] / 1e6;
    }
}
