package dev.vigil.it.harness;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reads sample values out of a Prometheus text scrape by metric name and a subset of labels. */
public final class PrometheusText {
    private PrometheusText() {}

    /** The value of the first sample named {@code name} that has all {@code labels}, or NaN. */
    public static double value(String scrape, String name, Map<String, String> labels) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith("#") || !line.startsWith(name)) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String sampleName = brace >= 0 ? line.substring(0, brace) : line.substring(0, line.indexOf(' '));
            if (!sampleName.equals(name)) {
                continue;
            }
            Map<String, String> found =
                    brace >= 0 ? labels(line.substring(brace + 1, line.lastIndexOf('}'))) : Map.of();
            if (found.entrySet().containsAll(labels.entrySet())) {
                return Double.parseDouble(line.substring(space + 1).trim());
            }
        }
        return Double.NaN;
    }

    /** Number of samples named {@code name}. */
    public static long count(String scrape, String name) {
        long n = 0;
        for (String line : scrape.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                n++;
            }
        }
        return n;
    }

    static Map<String, String> labels(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        while (i < text.length()) {
            int eq = text.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String key = text.substring(i, eq).trim();
            StringBuilder value = new StringBuilder();
            int j = eq + 2; // skip ="
            while (j < text.length() && text.charAt(j) != '"') {
                if (text.charAt(j) == '\\' && j + 1 < text.length()) {
                    j++;
                }
                value.append(text.charAt(j));
                j++;
            }
            out.put(key, value.toString());
            i = j + 2; // skip ",
        }
        return out;
    }
}
