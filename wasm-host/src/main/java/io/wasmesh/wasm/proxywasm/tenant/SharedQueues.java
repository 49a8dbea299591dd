package io.wasmesh.wasm.proxywasm.tenant;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One tenant's proxy-wasm shared queues, keyed by (vm_id, name). The VMs that register a queue are
 * told when items arrive ({@code proxy_on_queue_ready}); the first live registrant is told, so a
 * queue keeps working when the VM that registered it last is discarded. Queue ids are per tenant:
 * an id from another tenant names nothing here.
 */
public final class SharedQueues {

    /** A VM that consumes a queue. */
    public interface Consumer {
        /**
         * Called from the enqueuing thread; the VM hops to its own lane. Returns false when the VM
         * is gone.
         */
        boolean queueReady(int queueId);
    }

    private static final class Queue {
        final ArrayDeque<byte[]> items = new ArrayDeque<>();
        final List<Consumer> consumers = new CopyOnWriteArrayList<>();
        long bytes;
    }

    private final Map<String, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Integer, Queue> queues = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final long maxBytesPerQueue;

    public SharedQueues(long maxBytesPerQueue) {
        this.maxBytesPerQueue = maxBytesPerQueue;
    }

    private static String key(String vmId, String name) {
        return vmId + '\0' + name;
    }

    /** Opens (or creates) the queue and adds {@code consumer} to those told about new items. */
    public int register(String vmId, String name, Consumer consumer) {
        int id = ids.computeIfAbsent(key(vmId, name), k -> nextId.getAndIncrement());
        Queue q = queues.computeIfAbsent(id, k -> new Queue());
        if (!q.consumers.contains(consumer)) {
            q.consumers.add(consumer);
        }
        return id;
    }

    /** The id of an existing queue, or -1. */
    public int resolve(String vmId, String name) {
        return ids.getOrDefault(key(vmId, name), -1);
    }

    /** Adds an item and tells a consumer. */
    public EnqueueResult enqueue(int id, byte[] item) {
        Queue q = queues.get(id);
        if (q == null) {
            return EnqueueResult.NOT_FOUND;
        }
        synchronized (q) {
            if (q.bytes + item.length > maxBytesPerQueue) {
                return EnqueueResult.FULL;
            }
            q.items.add(item.clone());
            q.bytes += item.length;
        }
        for (Consumer c : q.consumers) {
            if (c.queueReady(id)) {
                break;
            }
            q.consumers.remove(c);
        }
        return EnqueueResult.OK;
    }

    /** Outcome of an enqueue. */
    public enum EnqueueResult {
        OK,
        NOT_FOUND,
        FULL
    }

    /**
     * The next item, or null when empty; throws {@link IllegalArgumentException} when there is no
     * such queue.
     */
    public byte[] dequeue(int id) {
        Queue q = queues.get(id);
        if (q == null) {
            throw new IllegalArgumentException("no queue " + id);
        }
        synchronized (q) {
            byte[] item = q.items.poll();
            if (item != null) {
                q.bytes -= item.length;
            }
            return item;
        }
    }

    public void unregister(Consumer consumer) {
        for (Queue q : queues.values()) {
            q.consumers.remove(consumer);
        }
    }
}
