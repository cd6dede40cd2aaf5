package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LogViewTest {

    private static final List<String> FLINK =
            List.of(
                    "2026-12-04 18:00:00,001 INFO  org.apache.flink.runtime.Foo - started",
                    "2026-12-04 18:00:01,002 WARN  org.apache.flink.runtime.Bar - slow checkpoint",
                    "2026-12-04 18:00:02,003 INFO  org.apache.flink.runtime.Foo - still fine",
                    "2026-12-04 18:00:03,004 ERROR org.apache.flink.runtime.Baz - failed",
                    "java.lang.IllegalStateException: boom",
                    "\tat dev.vigil.X.y(X.java:1)",
                    "2026-12-04 18:00:04,005 INFO  org.apache.flink.runtime.Foo - recovered");

    @Test
    void warningsAndErrorsWithTheirStackTracesByDefault() {
        assertThat(LogView.last(FLINK, 20, false))
                .containsExactly(
                        "2026-12-04 18:00:01,002 WARN  org.apache.flink.runtime.Bar - slow"
                                + " checkpoint",
                        "2026-12-04 18:00:03,004 ERROR org.apache.flink.runtime.Baz - failed",
                        "java.lang.IllegalStateException: boom",
                        "\tat dev.vigil.X.y(X.java:1)");
        assertThat(LogView.last(FLINK, 2, false))
                .containsExactly(
                        "java.lang.IllegalStateException: boom", "\tat dev.vigil.X.y(X.java:1)");
    }

    @Test
    void everyLevelWithVerboseAndEveryLineOfALogWithoutLevels() {
        assertThat(LogView.last(FLINK, 20, true)).isEqualTo(FLINK);
        List<String> kafka =
                List.of(
                        "[2026-12-04 18:00:00,001] INFO [KafkaServer id=1] started",
                        "[2026-12-04 18:00:01,001] WARN [Log partition=telemetry-0] slow");
        assertThat(LogView.last(kafka, 20, false))
                .containsExactly("[2026-12-04 18:00:01,001] WARN [Log partition=telemetry-0] slow");
        List<String> simulator = List.of("simulating 16 nodes", "done: 14,581 events");
        assertThat(LogView.last(simulator, 20, false)).isEqualTo(simulator);
    }
}
