package dev.vigil.jobs.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A sink that hands a local run's records back to the process that submitted it: the job runs in an
 * embedded MiniCluster of the same JVM, so its writers add to a list registered under the run's id.
 * For {@link RuleRunner} only: records are kept in memory.
 */
final class CollectingSink<T> implements Sink<T> {

    private static final long serialVersionUID = 1L;

    private static final Map<String, List<Object>> RUNS = new ConcurrentHashMap<>();

    private final String id;

    private CollectingSink(String id) {
        this.id = id;
    }

    /** A sink with a list of its own. */
    static <T> CollectingSink<T> create() {
        String id = UUID.randomUUID().toString();
        RUNS.put(id, new ArrayList<>());
        return new CollectingSink<>(id);
    }

    /** The records written so far, in writing order; forgets them. */
    @SuppressWarnings("unchecked")
    List<T> drain() {
        List<Object> records = RUNS.remove(id);
        if (records == null) {
            return List.of();
        }
        synchronized (records) {
            return (List<T>) List.copyOf(records);
        }
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        List<Object> records = RUNS.get(id);
        if (records == null) {
            throw new IllegalStateException("collecting sink " + id + " runs outside its JVM");
        }
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context ctx) {
                synchronized (records) {
                    records.add(element);
                }
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}
