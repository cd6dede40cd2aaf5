package dev.vigil.operators.carbon;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Power and embodied-carbon coefficients of a hardware class of edge node.
 *
 * <p>Power follows the Cloud Carbon Footprint model: {@code watts = min + utilisation × (max −
 * min)}, used only for nodes that report utilisation but no power. Embodied emissions follow SCI:
 * {@code M = TE × (TiR / EL) × (RR / TR)}, with a whole edge node reserved ({@code RR / TR = 1}).
 *
 * @param minWatts draw at 0 % CPU, W
 * @param maxWatts draw at 100 % CPU, W
 * @param embodiedKg total embodied emissions TE, kg CO2e
 * @param lifespanYears expected lifespan EL, years (of 365 days)
 */
public record NodeClass(double minWatts, double maxWatts, double embodiedKg, double lifespanYears)
        implements Serializable {

    private static final long MILLIS_PER_YEAR = 365L * 86_400_000L;

    /**
     * The built-in classes. Power: CCF's average per-vCPU coefficients for compute (0.74 W idle,
     * 3.5 W at full load per vCPU) times the class's vCPUs, plus a fixed platform draw (board,
     * storage, fans; for edge-gpu one inference GPU at 35–250 W). Embodied: manufacturer product
     * carbon footprints of comparable hardware (a fan-less mini PC, a 1U edge server, a 1U server
     * with one GPU); CCF's default lifespan of 4 years.
     */
    public static final Map<String, NodeClass> DEFAULTS;

    static {
        Map<String, NodeClass> m = new LinkedHashMap<>();
        m.put("edge-small", new NodeClass(4 * 0.74 + 8, 4 * 3.5 + 8, 90, 4));
        m.put("edge-standard", new NodeClass(16 * 0.74 + 40, 16 * 3.5 + 40, 1_300, 4));
        m.put("edge-gpu", new NodeClass(16 * 0.74 + 40 + 35, 16 * 3.5 + 40 + 250, 2_500, 4));
        DEFAULTS = Map.copyOf(m);
    }

    /** Class used for nodes whose class is not configured. */
    public static final String FALLBACK = "edge-standard";

    public NodeClass {
        if (!(minWatts >= 0) || !(maxWatts >= minWatts)) {
            throw new IllegalArgumentException(
                    "node class needs 0 <= min watts <= max watts, got "
                            + minWatts
                            + " and "
                            + maxWatts);
        }
        if (!(embodiedKg >= 0) || !(lifespanYears > 0)) {
            throw new IllegalArgumentException(
                    "node class needs embodied kg >= 0 and lifespan > 0, got "
                            + embodiedKg
                            + " and "
                            + lifespanYears);
        }
    }

    /** Estimated draw at {@code cpuPercent} (clamped to 0–100), whole milliwatts. */
    public long estimateMilliwatts(double cpuPercent) {
        double u = Math.max(0, Math.min(100, cpuPercent)) / 100.0;
        return Math.round((minWatts + u * (maxWatts - minWatts)) * 1000.0);
    }

    /** Embodied emissions attributed to {@code millis} of the node's life, whole milligrams. */
    public long embodiedMilligrams(long millis) {
        BigDecimal te = BigDecimal.valueOf(embodiedKg).movePointRight(6);
        BigDecimal life =
                BigDecimal.valueOf(lifespanYears).multiply(BigDecimal.valueOf(MILLIS_PER_YEAR));
        return te.multiply(BigDecimal.valueOf(millis))
                .divide(life, 0, java.math.RoundingMode.HALF_UP)
                .longValueExact();
    }

    /**
     * Parses {@code min:max:embodiedKg:lifespanYears}, e.g. {@code 12:45:90:4}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static NodeClass parse(String name, String value) {
        String[] p = value.split(":");
        if (p.length != 4) {
            throw new IllegalArgumentException(
                    "node class "
                            + name
                            + " must be min-watts:max-watts:embodied-kg:lifespan-years, was '"
                            + value
                            + "'");
        }
        try {
            return new NodeClass(
                    Double.parseDouble(p[0]),
                    Double.parseDouble(p[1]),
                    Double.parseDouble(p[2]),
                    Double.parseDouble(p[3]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "node class " + name + ": '" + value + "' has a part that is not a number", e);
        }
    }
}
