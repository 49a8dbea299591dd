package io.wasmesh.proxy.stats;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The proxy's own counters, by name and labels, written from every event loop without locks and
 * rendered as Prometheus text by the admin endpoint.
 */
public final class ProxyMetrics {
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();

    /**
     * The same counters found by name, then by each label name and value in turn: a request counts
     * without building its Prometheus key (that is done once per new series).
     */
    private final Node root = new Node();

    /** Adds one to counter {@code name} with labels given as name, value pairs. */
    public void increment(String name, String... labels) {
        add(name, 1, labels);
    }

    public void add(String name, long amount, String... labels) {
        Node n = root.child(name);
        for (String label : labels) {
            n = n.child(label == null ? "" : label);
        }
        LongAdder counter = n.counter;
        if (counter == null) {
            counter = counters.computeIfAbsent(key(name, labels), k -> new LongAdder());
            n.counter = counter;
        }
        counter.add(amount);
    }

    /** Counter value, for tests and the admin endpoint. */
    public long value(String name, String... labels) {
        LongAdder a = counters.get(key(name, labels));
        return a == null ? 0 : a.sum();
    }

    /** Prometheus text exposition of every counter, sorted. */
    public String prometheusText() {
        Map<String, Long> sorted = new TreeMap<>();
        counters.forEach((k, v) -> sorted.put(k, v.sum()));
        StringBuilder out = new StringBuilder();
        String lastName = null;
        for (Map.Entry<String, Long> e : sorted.entrySet()) {
            String name =
                    e.getKey().contains("{")
                            ? e.getKey().substring(0, e.getKey().indexOf('{'))
                            : e.getKey();
            if (!name.equals(lastName)) {
                out.append("# TYPE ").append(name).append(" counter\n");
                lastName = name;
            }
            out.append(e.getKey()).append(' ').append(e.getValue()).append('\n');
        }
        return out.toString();
    }

    private static String key(String name, String... labels) {
        if (labels.length == 0) {
            return name;
        }
        StringBuilder k = new StringBuilder(name).append('{');
        for (int i = 0; i + 1 < labels.length; i += 2) {
            if (i > 0) {
                k.append(',');
            }
            k.append(labels[i]).append("=\"").append(escape(labels[i + 1])).append('"');
        }
        return k.append('}').toString();
    }

    /** One step of the lookup: children by the next name or value; the counter where one ends. */
    private static final class Node {
        private final Map<String, Node> children = new ConcurrentHashMap<>();
        private volatile LongAdder counter;

        Node child(String part) {
            Node child = children.get(part); // the common case: no lambda, no lock
            return child != null ? child : children.computeIfAbsent(part, k -> new Node());
        }
    }

    private static String escape(String v) {
        return v == null ? "" : v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
