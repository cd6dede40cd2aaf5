package dev.vigil.operators.eventtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class EventTimesTest {

    private static final long NOW = 1_800_000_000_000L;

    @Test
    void onALogAppendTimeTopicTheBrokerClockIsTheReference() {
        assertThat(EventTimes.referenceTime(NOW - 5_000, TimestampType.LOG_APPEND_TIME, NOW))
                .isEqualTo(NOW - 5_000);
        // a broker clock ahead of the reader's is capped by it
        assertThat(EventTimes.referenceTime(NOW + 5_000, TimestampType.LOG_APPEND_TIME, NOW))
                .isEqualTo(NOW);
    }

    @Test
    void onACreateTimeTopicTheReadersClockIsTheReference() {
        // neither a forged future CreateTime nor a job's stamp from before the event time counts
        assertThat(EventTimes.referenceTime(NOW + 3_600_000, TimestampType.CREATE_TIME, NOW))
                .isEqualTo(NOW);
        assertThat(EventTimes.referenceTime(NOW - 3_600_000, TimestampType.CREATE_TIME, NOW))
                .isEqualTo(NOW);
        assertThat(EventTimes.referenceTime(-1, TimestampType.NO_TIMESTAMP_TYPE, NOW))
                .isEqualTo(NOW);
    }

    @Test
    void telemetryIsJudgedByItsOwnRecordTimeCappedByTheReadersClock() {
        assertThat(EventTimes.ofOwnRecord(NOW - 3_600_000, NOW)).isEqualTo(NOW - 3_600_000);
        assertThat(EventTimes.ofOwnRecord(NOW + 3_600_000, NOW)).isEqualTo(NOW);
        assertThat(EventTimes.ofOwnRecord(-1, NOW)).isEqualTo(NOW);
    }

    @Test
    void anEventContributesAtMostItsReferenceTime() {
        assertThat(EventTimes.clamped(NOW + 1, NOW)).isEqualTo(NOW);
        assertThat(EventTimes.clamped(NOW - 1, NOW)).isEqualTo(NOW - 1);
    }
}
