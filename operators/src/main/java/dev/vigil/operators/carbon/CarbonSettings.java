package dev.vigil.operators.carbon;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * How the carbon job accounts: integration limits, facility PUE per site, the factors used when
 * there is no grid feed, certificates, credits, node classes and the SCI functional unit. Factors
 * are held as exact integers: intensities in mg CO2e/kWh, PUE and certificate shares in millionths.
 */
public final class CarbonSettings implements Serializable {

    private static final long serialVersionUID = 1L;

    /** SCI functional unit R. */
    public enum SciUnit {
        /** One node running for one hour. */
        DEVICE_HOUR("device-hour"),
        /** One thousand telemetry events of the node. */
        THOUSAND_EVENTS("1000-events");

        private final String label;

        SciUnit(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        public static SciUnit parse(String value) {
            for (SciUnit u : values()) {
                if (u.label.equals(value)) {
                    return u;
                }
            }
            throw new IllegalArgumentException(
                    "SCI unit must be device-hour or 1000-events, was '" + value + "'");
        }
    }

    /** Millionths in one. */
    public static final long MILLIONTHS = 1_000_000L;

    final long maxGapMillis;
    final long allowedLatenessMillis;
    final long defaultPue;
    final Map<String, Long> pueBySite;
    final long gridDefaultMgPerKwh;
    final long renewableMgPerKwh;
    final Map<String, Long> certificateShareByRegion;
    final Map<String, Long> creditsMgPerDayByKey;
    final Map<String, NodeClass> nodeClasses;
    final SciUnit sciUnit;

    private CarbonSettings(Builder b) {
        this.maxGapMillis = b.maxGap.toMillis();
        this.allowedLatenessMillis = b.allowedLateness.toMillis();
        this.defaultPue = b.defaultPue;
        this.pueBySite = Map.copyOf(b.pueBySite);
        this.gridDefaultMgPerKwh = b.gridDefaultMgPerKwh;
        this.renewableMgPerKwh = b.renewableMgPerKwh;
        this.certificateShareByRegion = Map.copyOf(b.certificates);
        this.creditsMgPerDayByKey = Map.copyOf(b.credits);
        this.nodeClasses = Map.copyOf(b.nodeClasses);
        this.sciUnit = b.sciUnit;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The defaults: the seed's factors, PUE 1, 60 s maximum gap, 2 min allowed lateness. */
    public static CarbonSettings defaults() {
        return builder().build();
    }

    public long maxGapMillis() {
        return maxGapMillis;
    }

    public long allowedLatenessMillis() {
        return allowedLatenessMillis;
    }

    /** PUE of a site, millionths. */
    public long pue(String siteId) {
        return pueBySite.getOrDefault(siteId, defaultPue);
    }

    /** Grid intensity used where the feed has no record, mg/kWh. */
    public long gridDefaultMgPerKwh() {
        return gridDefaultMgPerKwh;
    }

    /** Intensity of on-site solar and wind in market-based accounting, mg/kWh. */
    public long renewableMgPerKwh() {
        return renewableMgPerKwh;
    }

    /** Share of a region's grid energy covered by certificates, millionths. */
    public long certificateShare(String region) {
        return certificateShareByRegion.getOrDefault(region, 0L);
    }

    /** Credits held against a node, cluster, region or hub per day, mg. */
    public long creditsPerDay(String key) {
        return creditsMgPerDayByKey.getOrDefault(key, 0L);
    }

    public NodeClass nodeClass(String name) {
        NodeClass c = nodeClasses.get(name);
        return c != null ? c : nodeClasses.get(NodeClass.FALLBACK);
    }

    public SciUnit sciUnit() {
        return sciUnit;
    }

    /** Builder; every setter checks its value and says what is wrong. */
    public static final class Builder {
        private Duration maxGap = Duration.ofSeconds(60);
        private Duration allowedLateness = Duration.ofMinutes(2);
        private long defaultPue = MILLIONTHS;
        private final Map<String, Long> pueBySite = new HashMap<>();
        private long gridDefaultMgPerKwh = 400_000;
        private long renewableMgPerKwh = 20_000;
        private final Map<String, Long> certificates = new HashMap<>();
        private final Map<String, Long> credits = new HashMap<>();
        private final Map<String, NodeClass> nodeClasses = new LinkedHashMap<>(NodeClass.DEFAULTS);
        private SciUnit sciUnit = SciUnit.DEVICE_HOUR;

        public Builder maxGap(Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("maximum gap must be positive, was " + d);
            }
            this.maxGap = d;
            return this;
        }

        public Builder allowedLateness(Duration d) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("allowed lateness must not be negative: " + d);
            }
            this.allowedLateness = d;
            return this;
        }

        public Builder defaultPue(double pue) {
            this.defaultPue = pue("default", pue);
            return this;
        }

        /** {@code site=pue,...}, e.g. {@code eu-west-1-c01-s0=1.4}. */
        public Builder pueBySite(String spec) {
            parse(spec, "PUE", (site, v) -> pueBySite.put(site, pue(site, v)));
            return this;
        }

        public Builder gridDefaultGPerKwh(double g) {
            this.gridDefaultMgPerKwh = intensity("grid default", g);
            return this;
        }

        public Builder renewableGPerKwh(double g) {
            this.renewableMgPerKwh = intensity("renewable", g);
            return this;
        }

        /** {@code region=share,...}: share (0–1) of grid energy covered by certificates. */
        public Builder certificates(String spec) {
            parse(
                    spec,
                    "certificate share",
                    (region, v) -> {
                        if (!(v >= 0 && v <= 1)) {
                            throw new IllegalArgumentException(
                                    "certificate share of " + region + " must be 0-1, was " + v);
                        }
                        return certificates.put(region, millionths(v));
                    });
            return this;
        }

        /** {@code key=kg,...}: credits per day held against a node, cluster, region or hub. */
        public Builder creditsKgPerDay(String spec) {
            parse(
                    spec,
                    "credits",
                    (key, v) -> {
                        if (!(v >= 0)) {
                            throw new IllegalArgumentException(
                                    "credits of " + key + " must be >= 0 kg, was " + v);
                        }
                        return credits.put(
                                key, BigDecimal.valueOf(v).movePointRight(6).longValueExact());
                    });
            return this;
        }

        /** {@code class=min:max:embodiedKg:lifespanYears,...}, added to the built-in classes. */
        public Builder nodeClasses(String spec) {
            if (spec == null || spec.isBlank()) {
                return this;
            }
            for (String item : spec.split(",")) {
                String[] kv = pair(item, "node class");
                nodeClasses.put(kv[0], NodeClass.parse(kv[0], kv[1]));
            }
            return this;
        }

        public Builder sciUnit(SciUnit unit) {
            this.sciUnit = unit;
            return this;
        }

        public CarbonSettings build() {
            return new CarbonSettings(this);
        }

        private static long pue(String site, double v) {
            if (!(v >= 1 && v <= 10)) {
                throw new IllegalArgumentException(
                        "PUE of " + site + " must be between 1 and 10, was " + v);
            }
            return millionths(v);
        }

        private static long intensity(String what, double g) {
            if (!(g >= 0 && g <= 5_000)) {
                throw new IllegalArgumentException(
                        what + " intensity must be 0-5000 g/kWh, was " + g);
            }
            return GridTimeline.milligrams(g);
        }

        private static long millionths(double v) {
            return BigDecimal.valueOf(v)
                    .movePointRight(6)
                    .setScale(0, java.math.RoundingMode.HALF_UP)
                    .longValueExact();
        }

        private static void parse(
                String spec, String what, BiFunction<String, Double, Object> put) {
            if (spec == null || spec.isBlank()) {
                return;
            }
            for (String item : spec.split(",")) {
                String[] kv = pair(item, what);
                double v;
                try {
                    v = Double.parseDouble(kv[1]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(
                            what + " of " + kv[0] + " is not a number: '" + kv[1] + "'", e);
                }
                put.apply(kv[0], v);
            }
        }

        private static String[] pair(String item, String what) {
            String[] kv = item.trim().split("=", 2);
            if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank()) {
                throw new IllegalArgumentException(
                        what + " entries must look like key=value, was '" + item.trim() + "'");
            }
            return new String[] {kv[0].trim(), kv[1].trim()};
        }
    }
}
