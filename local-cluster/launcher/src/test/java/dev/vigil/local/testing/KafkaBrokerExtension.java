package dev.vigil.local.testing;

import dev.vigil.local.kafka.KafkaBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Kafka broker process for integration tests: started once per test JVM on free ports and in
 * its own temporary data directory (never those of {@code vigil up}), stopped by pid and its
 * directory deleted when the test run ends.
 *
 * <pre>
 * {@code @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();}
 * </pre>
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, KafkaEndpoint {

    private SharedBroker shared;

    @Override
    public void beforeAll(ExtensionContext context) {
        shared =
                context.getRoot()
                        .getStore(ExtensionContext.Namespace.GLOBAL)
                        .getOrComputeIfAbsent(
                                SharedBroker.class, k -> SharedBroker.start(), SharedBroker.class);
    }

    @Override
    public String bootstrapServers() {
        if (shared == null) {
            throw new IllegalStateException(
                    "register the extension with @RegisterExtension on a static field");
        }
        return shared.broker.bootstrapServers();
    }

    /** The broker of this JVM's test run; closed by JUnit after the last test. */
    static final class SharedBroker implements ExtensionContext.Store.CloseableResource {
        final KafkaBroker broker;
        final Path dataDir;

        private SharedBroker(KafkaBroker broker, Path dataDir) {
            this.broker = broker;
            this.dataDir = dataDir;
        }

        static SharedBroker start() {
            try {
                Path dir = Files.createTempDirectory("vigil-it-kafka-");
                KafkaBroker broker = KafkaBroker.onFreePorts(dir);
                broker.start();
                return new SharedBroker(broker, dir);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() throws IOException {
            broker.stop();
            try (Stream<Path> paths = Files.walk(dataDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
