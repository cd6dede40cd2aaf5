package dev.vigil.operators.carbon;

import dev.vigil.schema.CarbonReport;
import java.time.Instant;

/** Builds the {@code CarbonReport} records of the {@code carbon} topic from integer totals. */
public final class CarbonReports {

    private CarbonReports() {}

    /** Kafka key of a report: level/key/size/window start. */
    public static String kafkaKey(CarbonReport r) {
        return r.getLevel() + "/" + r.getKey() + "/" + r.getWindowSize() + "/" + r.getWindowStart();
    }

    /** The report of a node's minute. */
    public static CarbonReport ofNodeMinute(NodeMinute m, CarbonSettings settings) {
        return of(
                CarbonLevel.NODE,
                m.nodeId,
                m.hub,
                m.region,
                m.cluster,
                m.minuteStart,
                NodeLedger.MINUTE,
                m.totals,
                m.revision,
                settings);
    }

    /**
     * A report. Credits apply to day windows of the keys they are configured for; SCI = (location
     * based + embodied) / R.
     */
    public static CarbonReport of(
            String level,
            String key,
            String hub,
            String region,
            String cluster,
            long windowStart,
            long windowSize,
            CarbonTotals t,
            int revision,
            CarbonSettings settings) {
        long credits = windowSize == 86_400_000L ? settings.creditsPerDay(key) : 0;
        double units =
                settings.sciUnit() == CarbonSettings.SciUnit.DEVICE_HOUR
                        ? t.nodeMinutes / 60.0
                        : t.events / 1000.0;
        return CarbonReport.newBuilder()
                .setLevel(level)
                .setKey(key)
                .setHub(hub)
                .setRegion(region)
                .setCluster(cluster)
                .setWindowStart(Instant.ofEpochMilli(windowStart))
                .setWindowEnd(Instant.ofEpochMilli(windowStart + windowSize))
                .setWindowSize(CarbonLevel.label(windowSize))
                .setEnergyMwh(t.energyMwh)
                .setEnergyKwh(t.energyMwh / 1e6)
                .setRenewableEnergyMwh(t.renewableMwh)
                .setRenewableShare(t.energyMwh == 0 ? 0 : (double) t.renewableMwh / t.energyMwh)
                .setPue(t.energyMwh == 0 ? 1.0 : (double) t.facilityMwh / t.energyMwh)
                .setLocationBasedMg(t.locationMg)
                .setMarketBasedMg(t.marketMg)
                .setMarginalMg(t.marginalMissing > 0 ? null : t.marginalMg)
                .setCreditsMg(credits)
                .setNetMg(Math.subtractExact(t.marketMg, credits))
                .setSciMgPerUnit(units > 0 ? (t.locationMg + t.embodiedMg) / units : null)
                .setSciUnit(settings.sciUnit().label())
                .setCoverage(
                        t.nodeMinutes == 0
                                ? 0
                                : (double) t.coveredMs / (t.nodeMinutes * NodeLedger.MINUTE))
                .setEstimated(t.estimatedMinutes > 0)
                .setRevision(revision)
                .build();
    }
}
