package io.wasmesh.wasm.proxywasm.tenant;

import io.wasmesh.wasm.proxywasm.abi.MetricType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One tenant's metrics defined by its filters. Defining the same (type, name) twice gives the same
 * id, so every VM of a plugin shares one series, as Envoy's per-worker VMs do. Counters only go up;
 * gauges are set or moved; histograms keep a count, a sum and power-of-two buckets.
 */
public final class Metrics {

    /** One metric series. */
    public static final class Metric {
        private final int id;
        private final MetricType type;
        private final String name;
        private final LongAdder counter = new LongAdder();
        private final AtomicLong gauge = new AtomicLong();
        private final AtomicLong[] buckets = new AtomicLong[65];
        private final LongAdder sum = new LongAdder();

        Metric(int id, MetricType type, String name) {
            this.id = id;
            this.type = type;
            this.name = name;
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new AtomicLong();
            }
        }

        public int id() {
            return id;
        }

        public MetricType type() {
            return type;
        }

        public String name() {
            return name;
        }

        /** Counter total, gauge value, or histogram sample count. */
        public long value() {
            switch (type) {
                case COUNTER:
                    return counter.sum();
                case GAUGE:
                    return gauge.get();
                default:
                    long n = 0;
                    for (AtomicLong b : buckets) {
                        n += b.get();
                    }
                    return n;
            }
        }

        public long histogramSum() {
            return sum.sum();
        }

        /** Samples whose value is below 2^i (bucket i holds [2^(i-1), 2^i)). */
        public long[] histogramBuckets() {
            long[] out = new long[buckets.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = buckets[i].get();
            }
            return out;
        }

        void record(long value) {
            switch (type) {
                case COUNTER:
                    counter.add(value);
                    break;
                case GAUGE:
                    gauge.set(value);
                    break;
                default:
                    buckets[64 - Long.numberOfLeadingZeros(Math.max(0, value))].incrementAndGet();
                    sum.add(value);
            }
        }

        void increment(long delta) {
            if (type == MetricType.COUNTER) {
                counter.add(delta);
            } else {
                gauge.addAndGet(delta);
            }
        }
    }

    private final Map<String, Metric> byKey = new ConcurrentHashMap<>();
    private final List<Metric> byId = new CopyOnWriteArrayList<>();
    private final int maxMetrics;

    public Metrics(int maxMetrics) {
        this.maxMetrics = maxMetrics;
    }

    /**
     * The id of the (type, name) series, defining it if new; -1 when the tenant has too many
     * metrics.
     */
    public synchronized int define(MetricType type, String name) {
        Metric m = byKey.get(type + ":" + name);
        if (m != null) {
            return m.id;
        }
        if (byId.size() >= maxMetrics) {
            return -1;
        }
        m = new Metric(byId.size(), type, name);
        byId.add(m);
        byKey.put(type + ":" + name, m);
        return m.id;
    }

    public Metric get(int id) {
        return id >= 0 && id < byId.size() ? byId.get(id) : null;
    }

    public void record(Metric m, long value) {
        m.record(value);
    }

    public void increment(Metric m, long delta) {
        m.increment(delta);
    }

    public List<Metric> all() {
        return Collections.unmodifiableList(new ArrayList<>(byId));
    }
}
