package dev.vigil.operators.threat.enrich;

/** What the enricher remembers about one node. A Flink POJO. */
public class NodeContext {

    public Long lastSequence;
    public Long lastEventTime;
    public Double egressBaseline;
    public Double ingressBaseline;
    public long baselineSamples;
    public long cleanupAt;

    public NodeContext() {}
}
