package dev.vigil.operators.carbon;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The seed's carbon arithmetic, the defaults when no grid-intensity feed exists: grid energy at
 * {@value #GRID} kg CO2e/kWh, solar and wind at {@value #RENEWABLE} kg CO2e/kWh, renewable share =
 * (solar + wind) / total, net carbon = emissions − credits. Exact decimals throughout.
 */
public final class SeedCarbon {

    public static final String GRID = "0.4";
    public static final String RENEWABLE = "0.02";

    private static final BigDecimal GRID_KG_PER_KWH = new BigDecimal(GRID);
    private static final BigDecimal RENEWABLE_KG_PER_KWH = new BigDecimal(RENEWABLE);

    /** Emissions, renewable share (0–1) and net carbon of one accounting period. */
    public record Totals(BigDecimal emissionsKg, BigDecimal renewableShare, BigDecimal netKg) {}

    private SeedCarbon() {}

    /**
     * @param gridKwh energy from the grid
     * @param solarKwh energy from on-site solar
     * @param windKwh energy from on-site wind
     * @param creditsKg carbon credits held against the period
     */
    public static Totals of(
            BigDecimal gridKwh, BigDecimal solarKwh, BigDecimal windKwh, BigDecimal creditsKg) {
        BigDecimal renewable = solarKwh.add(windKwh);
        BigDecimal total = gridKwh.add(renewable);
        BigDecimal emissions =
                gridKwh.multiply(GRID_KG_PER_KWH).add(renewable.multiply(RENEWABLE_KG_PER_KWH));
        BigDecimal share =
                total.signum() == 0
                        ? BigDecimal.ZERO
                        : renewable.divide(total, 12, RoundingMode.HALF_EVEN).stripTrailingZeros();
        return new Totals(
                emissions.stripTrailingZeros(),
                share,
                emissions.subtract(creditsKg).stripTrailingZeros());
    }
}
