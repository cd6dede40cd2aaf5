package dev.vigil.operators.inference;

import dev.vigil.schema.DeadLetter;
import dev.vigil.schema.ModelUpdate;

/**
 * A record of the {@code models} topic: a readable update with where it came from (so that a
 * rejection can be dead-lettered against it), or the dead letter of an unreadable one. A Flink
 * POJO.
 */
public class IngestedModelUpdate {

    public ModelUpdate update;
    public DeadLetter deadLetter;
    public String topic;
    public int partition;
    public long offset;
    public long timestamp;

    public IngestedModelUpdate() {}

    public static IngestedModelUpdate of(
            ModelUpdate update, String topic, int partition, long offset, long timestamp) {
        IngestedModelUpdate in = new IngestedModelUpdate();
        in.update = update;
        in.topic = topic;
        in.partition = partition;
        in.offset = offset;
        in.timestamp = timestamp;
        return in;
    }

    static IngestedModelUpdate rejected(DeadLetter deadLetter) {
        IngestedModelUpdate in = new IngestedModelUpdate();
        in.deadLetter = deadLetter;
        return in;
    }
}
