package dev.vigil.simulator.fleet;

/**
 * An electricity grid a region draws from: typical average intensity, how strongly it swings over
 * the day, and the sunshine and wind a site there gets. Figures are plausible, not official.
 *
 * @param name zone name, the stem of region ids
 * @param baseGPerKwh mean average carbon intensity, gCO2e/kWh
 * @param diurnalSwing relative amplitude of the daily intensity cycle (0-1)
 * @param utcOffsetHours local solar time offset from UTC
 * @param sunshine 0-1 scale of solar yield
 * @param wind 0-1 scale of wind yield
 */
public record GridZone(
        String name,
        double baseGPerKwh,
        double diurnalSwing,
        int utcOffsetHours,
        double sunshine,
        double wind) {

    static final GridZone[] ZONES = {
        new GridZone("eu-west", 230, 0.25, 0, 0.45, 0.7),
        new GridZone("eu-north", 35, 0.15, 1, 0.3, 0.8),
        new GridZone("eu-central", 360, 0.2, 1, 0.5, 0.6),
        new GridZone("us-east", 380, 0.2, -5, 0.6, 0.4),
        new GridZone("us-west", 240, 0.35, -8, 0.9, 0.5),
        new GridZone("ca-central", 110, 0.1, -5, 0.5, 0.5),
        new GridZone("sa-east", 95, 0.15, -3, 0.8, 0.4),
        new GridZone("ap-south", 650, 0.15, 5, 0.9, 0.3),
        new GridZone("ap-east", 540, 0.2, 8, 0.6, 0.3),
        new GridZone("au-east", 610, 0.3, 10, 0.95, 0.5)
    };
}
