package io.pulse.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The peak of the JVM's used heap over a stretch of a run, measured from the collector's own reports.
 *
 * <p>Used heap only grows between collections (allocation) and only shrinks in them, so its peaks are the moments
 * just before each collection. The JVM reports, for every collection, each memory pool's usage before it
 * ({@link GarbageCollectionNotificationInfo}); the peak is the largest sum over the heap pools of those
 * before-collection figures, and of the usage sampled at the end ({@link #sample()}). Unlike the pools' own peak
 * counters ({@link MemoryPoolMXBean#getPeakUsage()}), whose sum adds maxima reached at different times (a full eden
 * and a full old generation), this is the peak of the total.
 *
 * <p>Notifications arrive on a JMX thread, after the collection; {@link #finish()} waits until every collection
 * since {@link #start()} has been reported, and a late report of a collection from before the start is ignored.
 * Thread-safe.
 */
final class HeapWatch {

    private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final AtomicLong peakBytes = new AtomicLong();
    private final AtomicLong reported = new AtomicLong();
    private final long collectionsAtStart;
    private final Map<String, Long> countAtStart = new ConcurrentHashMap<>();
    private final NotificationListener listener = this::onNotification;

    private HeapWatch() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            countAtStart.put(gc.getName(), gc.getCollectionCount());
        }
        collectionsAtStart = collections();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter e) {
                e.addNotificationListener(listener, null, null);
                emitters.add(e);
            }
        }
        sample();
    }

    /** Starts watching from the heap's current usage. */
    static HeapWatch start() {
        return new HeapWatch();
    }

    /**
     * A full collection (the JVM honours {@link System#gc()} unless told not to) and the heap used after it: the
     * live heap, give or take what the collector leaves in partly filled regions.
     *
     * @return bytes used after the collection, or -1 if the JVM did not collect (run with
     *         {@code -XX:+DisableExplicitGC}), in which case the live heap is unknown
     */
    static long liveHeapBytes() {
        long before = collections();
        System.gc();
        if (collections() == before) {
            return -1;
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * The heap's configured maximum ({@code -Xmx}, the VM option {@code MaxHeapSize}). Not
     * {@link Runtime#maxMemory()}, which under the parallel collector leaves out a survivor space.
     */
    static long maxHeapBytes() {
        try {
            return Long.parseLong(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .getVMOption("MaxHeapSize").getValue());
        } catch (IllegalArgumentException e) {
            return Runtime.getRuntime().maxMemory();
        }
    }

    /** Collections of every collector so far. */
    static long collections() {
        long sum = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            sum += Math.max(0, gc.getCollectionCount());
        }
        return sum;
    }

    /** Milliseconds spent collecting, by every collector so far (pauses and, for concurrent ones, cycles). */
    static long collectionMs() {
        long sum = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            sum += Math.max(0, gc.getCollectionTime());
        }
        return sum;
    }

    /** The collectors' names, {@code +}-joined, spaces as underscores: {@code PS_Scavenge+PS_MarkSweep}. */
    static String collectorNames() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(gc -> gc.getName().replace(' ', '_')).collect(Collectors.joining("+"));
    }

    /** Counts the heap as it is now towards the peak. */
    void sample() {
        peakBytes.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
    }

    /** The peak of used heap seen so far, in bytes. */
    long peakBytes() {
        return peakBytes.get();
    }

    /**
     * Samples the heap once more, waits (up to 10 s) until every collection since the start has been reported,
     * stops listening, and returns the peak. Call once.
     *
     * @return the peak of used heap since the start, in bytes
     * @throws IllegalStateException if some collection was never reported: the peak would be an underestimate
     */
    long finish() {
        sample();
        long expected = collections() - collectionsAtStart;
        long deadline = System.nanoTime() + 10_000_000_000L;
        try {
            while (reported.get() < expected && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (NotificationEmitter e : emitters) {
            try {
                e.removeNotificationListener(listener);
            } catch (ListenerNotFoundException ignored) {
                // added above; nothing to undo
            }
        }
        if (reported.get() < expected) {
            throw new IllegalStateException("the JVM reported " + reported.get() + " of " + expected
                    + " collections within 10 s: the peak heap would be an underestimate");
        }
        return peakBytes.get();
    }

    private void onNotification(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
                (CompositeData) n.getUserData());
        // a collection from before the start, reported late, is not part of this stretch (ids count from 1)
        if (info.getGcInfo().getId() <= countAtStart.getOrDefault(info.getGcName(), 0L)) {
            return;
        }
        long used = 0;
        for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageBeforeGc().entrySet()) {
            if (heapPools.contains(e.getKey())) {
                used += e.getValue().getUsed();
            }
        }
        peakBytes.accumulateAndGet(used, Math::max);
        reported.incrementAndGet();
    }
}
