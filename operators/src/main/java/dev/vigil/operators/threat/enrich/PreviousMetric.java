package dev.vigil.operators.threat.enrich;

/** The last metric values of one sensor of a node. A Flink POJO. */
public class PreviousMetric {

    public Double cpuPercent;
    public Double memoryPercent;
    public Double diskPercent;
    public Double temperatureC;
    public Double packetLossPercent;
    public Double egressRatio;
    public Double ingressRatio;

    public PreviousMetric() {}
}
