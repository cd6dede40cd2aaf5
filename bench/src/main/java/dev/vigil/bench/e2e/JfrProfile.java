package dev.vigil.bench.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * A JDK Flight Recorder profile of a running process (started and dumped with {@code jcmd} against
 * its pid), and a summary of its CPU samples: the hottest methods by self time, the Vigil methods
 * by inclusive time, and the share of each layer (Kafka client, Avro, Flink runtime, CEP, Vigil,
 * compression, JDK) by the frame where the time was spent.
 */
public final class JfrProfile {

    private final long pid;
    private final Path file;

    private JfrProfile(long pid, Path file) {
        this.pid = pid;
        this.file = file;
    }

    /**
     * Starts a recording with the "default" settings: CPU samples every 20 ms per thread at about 1
     * % overhead (the "profile" settings, with allocation sampling, slowed the pipeline 2.4x).
     */
    static JfrProfile start(long pid, Path file) throws IOException, InterruptedException {
        jcmd(pid, "JFR.start", "name=vigil-bench", "settings=default");
        return new JfrProfile(pid, file);
    }

    /** Stops the recording and writes it to the file. */
    Path stop() throws IOException, InterruptedException {
        jcmd(pid, "JFR.stop", "name=vigil-bench", "filename=" + file.toAbsolutePath());
        return file;
    }

    private static void jcmd(long pid, String... command) throws IOException, InterruptedException {
        Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
        List<String> args = new ArrayList<>();
        args.add(java.resolveSibling("jcmd").toString());
        args.add(Long.toString(pid));
        args.addAll(List.of(command));
        Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("jcmd " + String.join(" ", command) + " failed: " + output);
        }
    }

    /** The summary of a recording's execution samples, as Markdown. */
    static String summarize(Path recording, int top) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        Map<String, Integer> layers = new LinkedHashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            threads.merge(task(event.getThread("sampledThread")), 1, Integer::sum);
            List<RecordedFrame> frames = stack.getFrames();
            self.merge(name(frames.get(0).getMethod()), 1, Integer::sum);
            layers.merge(layer(frames), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame frame : frames) {
                String method = name(frame.getMethod());
                if (method.startsWith("dev.vigil.")
                        && !method.startsWith("dev.vigil.shaded.")
                        && seen.add(method)) {
                    inclusive.merge(method, 1, Integer::sum);
                }
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format("%,d CPU samples%n%n", samples));
        out.append("| thread (Flink task: job's operator chain) | share |\n|---|---|\n");
        appendTop(out, threads, samples, top);
        out.append("\n| layer (where the time is spent) | share |\n|---|---|\n");
        appendTop(out, layers, samples, layers.size());
        out.append("\n| hottest methods, self time | share |\n|---|---|\n");
        appendTop(out, self, samples, top);
        out.append("\n| Vigil methods, inclusive time | share |\n|---|---|\n");
        appendTop(out, inclusive, samples, top);
        return out.toString();
    }

    private static void appendTop(
            StringBuilder out, Map<String, Integer> counts, int samples, int top) {
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(top)
                .forEach(
                        e ->
                                out.append(
                                        String.format(
                                                "| `%s` | %.1f %% |%n",
                                                e.getKey(), 100.0 * e.getValue() / samples)));
    }

    /** A thread's name without its subtask and attempt suffix. */
    private static String task(jdk.jfr.consumer.RecordedThread thread) {
        if (thread == null || thread.getJavaName() == null) {
            return "(unknown)";
        }
        String name = thread.getJavaName().replaceAll(" \\(\\d+/\\d+\\)#\\d+$", "");
        return name.length() > 120 ? name.substring(0, 117) + "..." : name;
    }

    /** Prints the summary of a recording: {@code JfrProfile <file.jfr> [top]}. */
    public static void main(String[] args) throws IOException {
        System.out.println(
                summarize(Path.of(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 15));
    }

    private static String name(RecordedMethod method) {
        return method.getType().getName() + "." + method.getName();
    }

    /**
     * The layer a sample belongs to: the innermost frame outside the JDK decides, so that a HashMap
     * lookup in a Vigil operator counts as Vigil and a Kafka client's socket write as Kafka.
     */
    static String layer(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            String layer = layerOf(type);
            if (layer != null) {
                return layer;
            }
        }
        return "JDK only (threads, GC helpers)";
    }

    private static String layerOf(String type) {
        if (type.contains("bouncycastle")) {
            return "Bouncy Castle (signatures)";
        }
        if (type.startsWith("dev.vigil.shaded.")) {
            return "other libraries";
        }
        if (type.startsWith("dev.vigil.")) {
            return "Vigil operators and models";
        }
        if (type.startsWith("org.apache.flink.cep.")) {
            return "Flink CEP (NFA, shared buffer)";
        }
        if (type.startsWith("org.apache.flink.connector.kafka.")
                || type.startsWith("org.apache.kafka.")) {
            return "Kafka client and connector";
        }
        if (type.startsWith("org.apache.avro.")) {
            return "Avro (de)serialization";
        }
        if (type.contains("lz4") || type.contains("xerial") || type.contains("zstd")) {
            return "compression";
        }
        if (type.startsWith("ai.djl.") || type.startsWith("ai.onnxruntime.")) {
            return "DJL / OnnxRuntime";
        }
        if (type.startsWith("org.apache.flink.")) {
            return "Flink runtime (state, serializers, network, timers)";
        }
        if (type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun.")) {
            return null;
        }
        return "other libraries";
    }
}
