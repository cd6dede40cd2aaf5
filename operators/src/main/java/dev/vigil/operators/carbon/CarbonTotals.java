package dev.vigil.operators.carbon;

import java.util.Objects;

/**
 * Integer totals of one node-minute, or of a roll-up of node-minutes. Every field is a plain sum,
 * so a roll-up is the exact sum of its parts whatever the grouping: node-minutes are rounded once
 * (half-up) to whole mWh and mg, and nothing is rounded after that.
 *
 * <p>A Flink POJO (public fields, no-argument constructor).
 */
public class CarbonTotals {

    /** Energy drawn by the IT equipment, mWh. */
    public long energyMwh;

    /** Part of it from on-site solar and wind, mWh. */
    public long renewableMwh;

    /** Energy × PUE (what the facility drew for it), mWh. */
    public long facilityMwh;

    /** Scope 2 location-based emissions, mg CO2e. */
    public long locationMg;

    /** Scope 2 market-based emissions, mg CO2e. */
    public long marketMg;

    /** Emissions at marginal intensity, mg CO2e (counts only node-minutes that have one). */
    public long marginalMg;

    /** Node-minutes whose energy had no marginal intensity. */
    public long marginalMissing;

    /** Embodied emissions of the hardware for the time reported, mg CO2e. */
    public long embodiedMg;

    /** Event time covered by integrated samples, summed over node-minutes, ms. */
    public long coveredMs;

    /** Node-minutes reported. */
    public long nodeMinutes;

    /** Telemetry events of the node-minutes. */
    public long events;

    /** Node-minutes whose power was estimated from utilisation. */
    public long estimatedMinutes;

    public CarbonTotals() {}

    /** Adds {@code o} times {@code sign} (+1 or -1) to this, exactly. */
    public CarbonTotals add(CarbonTotals o, int sign) {
        energyMwh = Math.addExact(energyMwh, sign * o.energyMwh);
        renewableMwh = Math.addExact(renewableMwh, sign * o.renewableMwh);
        facilityMwh = Math.addExact(facilityMwh, sign * o.facilityMwh);
        locationMg = Math.addExact(locationMg, sign * o.locationMg);
        marketMg = Math.addExact(marketMg, sign * o.marketMg);
        marginalMg = Math.addExact(marginalMg, sign * o.marginalMg);
        marginalMissing = Math.addExact(marginalMissing, sign * o.marginalMissing);
        embodiedMg = Math.addExact(embodiedMg, sign * o.embodiedMg);
        coveredMs = Math.addExact(coveredMs, sign * o.coveredMs);
        nodeMinutes = Math.addExact(nodeMinutes, sign * o.nodeMinutes);
        events = Math.addExact(events, sign * o.events);
        estimatedMinutes = Math.addExact(estimatedMinutes, sign * o.estimatedMinutes);
        return this;
    }

    public CarbonTotals copy() {
        return new CarbonTotals().add(this, 1);
    }

    /** {@code this - before}. */
    public CarbonTotals minus(CarbonTotals before) {
        return copy().add(before, -1);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CarbonTotals t)) {
            return false;
        }
        return energyMwh == t.energyMwh
                && renewableMwh == t.renewableMwh
                && facilityMwh == t.facilityMwh
                && locationMg == t.locationMg
                && marketMg == t.marketMg
                && marginalMg == t.marginalMg
                && marginalMissing == t.marginalMissing
                && embodiedMg == t.embodiedMg
                && coveredMs == t.coveredMs
                && nodeMinutes == t.nodeMinutes
                && events == t.events
                && estimatedMinutes == t.estimatedMinutes;
    }

    @Override
    public int hashCode() {
        return Objects.hash(energyMwh, locationMg, marketMg, coveredMs, nodeMinutes, events);
    }

    @Override
    public String toString() {
        return "CarbonTotals{energyMwh="
                + energyMwh
                + ", renewableMwh="
                + renewableMwh
                + ", facilityMwh="
                + facilityMwh
                + ", locationMg="
                + locationMg
                + ", marketMg="
                + marketMg
                + ", marginalMg="
                + marginalMg
                + ", marginalMissing="
                + marginalMissing
                + ", embodiedMg="
                + embodiedMg
                + ", coveredMs="
                + coveredMs
                + ", nodeMinutes="
                + nodeMinutes
                + ", events="
                + events
                + ", estimatedMinutes="
                + estimatedMinutes
                + "}";
    }
}
