package be.idsvc.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** An SVG chart of the sweep: flows per second and flow p99 versus concurrency, one line per connection mode. */
final class Chart {
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd"};
    private Chart() {}

    static String svg(List<Map<String, Object>> results, String title) {
        Map<String, List<double[]>> tput = new LinkedHashMap<>(), p99 = new LinkedHashMap<>();
        for (Map<String, Object> r : results) {
            if (!"sweep".equals(r.get("name"))) continue;
            double c = ((Number) r.get("concurrency")).doubleValue();
            String mode = (String) r.get("mode");
            tput.computeIfAbsent(mode, k -> new ArrayList<>()).add(new double[] {c, ((Number) r.get("flows_per_second")).doubleValue()});
            Map<?, ?> flow = (Map<?, ?>) ((Map<?, ?>) r.get("latency_ms")).get("flow");
            p99.computeIfAbsent(mode, k -> new ArrayList<>()).add(new double[] {c, ((Number) flow.get("p99")).doubleValue()});
        }
        StringBuilder b = new StringBuilder();
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"960\" height=\"420\" font-family=\"sans-serif\" font-size=\"12\">\n");
        b.append("<rect width=\"960\" height=\"420\" fill=\"white\"/>\n");
        b.append(text(480, 20, esc(title), "middle", 14));
        panel(b, 60, 50, "completed flows per second", tput);
        panel(b, 540, 50, "complete-flow p99 latency (ms)", p99);
        int y = 395, x = 60, i = 0;
        for (String mode : tput.keySet()) {
            String col = COLOURS[i++ % COLOURS.length];
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/>", x, y, x + 25, y, col));
            b.append(text(x + 30, y + 4, esc(mode), "start", 12));
            x += 180;
        }
        b.append("</svg>\n");
        return b.toString();
    }

    private static void panel(StringBuilder b, int ox, int oy, String label, Map<String, List<double[]>> series) {
        int w = 380, h = 290;
        double maxC = 1, maxY = 1;
        for (List<double[]> s : series.values()) for (double[] p : s) { maxC = Math.max(maxC, p[0]); maxY = Math.max(maxY, p[1]); }
        maxY = niceCeil(maxY);
        double logMax = Math.log(maxC) / Math.log(2);
        b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>\n", ox, oy, w, h));
        b.append(text(ox + w / 2, oy - 8, label, "middle", 12));
        for (int k = 0; k <= 4; k++) {
            double v = maxY * k / 4;
            int y = oy + h - (int) (h * k / 4.0);
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#eee\"/>", ox, y, ox + w, y));
            b.append(text(ox - 5, y + 4, String.format(Locale.ROOT, v >= 10 ? "%.0f" : "%.1f", v), "end", 11));
        }
        for (int c = 1; c <= maxC; c *= 2) {
            int x = ox + (logMax == 0 ? 0 : (int) (w * (Math.log(c) / Math.log(2)) / logMax));
            b.append(text(x, oy + h + 15, Integer.toString(c), "middle", 11));
        }
        b.append(text(ox + w / 2, oy + h + 32, "concurrent virtual clients", "middle", 11));
        int i = 0;
        for (List<double[]> s : series.values()) {
            String col = COLOURS[i++ % COLOURS.length];
            StringBuilder pts = new StringBuilder();
            for (double[] p : s) {
                double x = ox + (logMax == 0 ? 0 : w * (Math.log(p[0]) / Math.log(2)) / logMax);
                double y = oy + h - h * p[1] / maxY;
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                b.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>", x, y, col));
            }
            b.append("<polyline fill=\"none\" stroke=\"").append(col).append("\" stroke-width=\"2\" points=\"").append(pts).append("\"/>\n");
        }
    }

    private static double niceCeil(double v) {
        double mag = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) if (m * mag >= v) return m * mag;
        return 10 * mag;
    }

    private static String text(int x, int y, String s, String anchor, int size) {
        return String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\" font-size=\"%d\">%s</text>\n", x, y, anchor, size, s);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
