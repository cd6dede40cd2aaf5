package dev.vigil.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * CPU time of the TaskManager and the broker, sampled every 20 ms while the meter runs so that it
 * can be read at moments known only afterwards (Flink's own task timestamps), and the TaskManager's
 * peak resident memory.
 */
final class ProcessMeter implements AutoCloseable {

    /** CPU used so far, at one moment (epoch milliseconds). */
    record Mark(long epochMillis, double taskManagerCpuSeconds, double brokerCpuSeconds) {

        double seconds(Mark earlier) {
            return (epochMillis - earlier.epochMillis) / 1e3;
        }
    }

    private final List<Mark> series = Collections.synchronizedList(new ArrayList<>());

    private final ProcessHandle taskManager;
    private final ProcessHandle broker;
    private final Thread sampler;
    private volatile boolean running = true;
    private volatile long peakRss;

    ProcessMeter(long taskManagerPid, long brokerPid) {
        taskManager = ProcessHandle.of(taskManagerPid).orElseThrow();
        broker = ProcessHandle.of(brokerPid).orElseThrow();
        sampler =
                new Thread(
                        () -> {
                            int n = 0;
                            while (running) {
                                series.add(mark());
                                if (n++ % 5 == 0) {
                                    peakRss = Math.max(peakRss, rss(taskManagerPid));
                                }
                                try {
                                    Thread.sleep(20);
                                } catch (InterruptedException e) {
                                    return;
                                }
                            }
                        },
                        "rss-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    Mark mark() {
        return new Mark(System.currentTimeMillis(), cpu(taskManager), cpu(broker));
    }

    /** The CPU used by {@code epochMillis}, interpolated between the nearest samples. */
    Mark at(long epochMillis) {
        synchronized (series) {
            Mark before = null;
            for (Mark m : series) {
                if (m.epochMillis() >= epochMillis) {
                    if (before == null) {
                        return m;
                    }
                    double f =
                            (epochMillis - before.epochMillis())
                                    / (double) Math.max(1, m.epochMillis() - before.epochMillis());
                    return new Mark(
                            epochMillis,
                            before.taskManagerCpuSeconds()
                                    + f
                                            * (m.taskManagerCpuSeconds()
                                                    - before.taskManagerCpuSeconds()),
                            before.brokerCpuSeconds()
                                    + f * (m.brokerCpuSeconds() - before.brokerCpuSeconds()));
                }
                before = m;
            }
            if (before == null) {
                throw new IllegalStateException("no CPU samples yet");
            }
            return before;
        }
    }

    /** The TaskManager's largest resident set size seen so far, in bytes. */
    long peakRss() {
        return Math.max(peakRss, rss(taskManager.pid()));
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }

    private static double cpu(ProcessHandle process) {
        return process.info()
                        .totalCpuDuration()
                        .orElseThrow(
                                () -> new IllegalStateException("no CPU time for " + process.pid()))
                        .toNanos()
                / 1e9;
    }

    /** Resident set size from /proc/PID/status (Linux); 0 where unavailable. */
    static long rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
