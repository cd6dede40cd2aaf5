package dev.vigil.jobs.carbon;

import static org.apache.flink.configuration.ConfigOptions.key;

import dev.vigil.jobs.common.CommonJobOptions;
import dev.vigil.operators.carbon.CarbonSettings;
import dev.vigil.schema.Topic;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/** Options of the carbon job beyond {@link CommonJobOptions}; jobs/README.md lists them. */
public final class CarbonJobOptions {

    public static final ConfigOption<String> CARBON_TOPIC =
            key("topic.carbon")
                    .stringType()
                    .defaultValue(Topic.CARBON.topicName())
                    .withDescription("Topic the carbon reports are written to.");

    public static final ConfigOption<String> GRID_TOPIC =
            key("topic.grid-intensity")
                    .stringType()
                    .defaultValue(Topic.GRID_INTENSITY.topicName())
                    .withDescription("Topic the grid intensities are read from.");

    public static final ConfigOption<String> ALERTS_TOPIC =
            key("topic.alerts")
                    .stringType()
                    .defaultValue(Topic.ALERTS.topicName())
                    .withDescription("Topic shift_workload recommendations are written to.");

    public static final ConfigOption<Duration> MAX_GAP =
            key("carbon.max-gap")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(60))
                    .withDescription(
                            "Longest interval between two samples of a supply that is integrated;"
                                    + " longer ones are missing coverage.");

    public static final ConfigOption<Duration> ALLOWED_LATENESS =
            key("carbon.allowed-lateness")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(2))
                    .withDescription(
                            "How far behind the watermark an event may arrive and still revise"
                                    + " reports; later ones become LATE_EVENT dead letters.");

    public static final ConfigOption<Double> DEFAULT_PUE =
            key("carbon.pue")
                    .doubleType()
                    .defaultValue(1.0)
                    .withDescription("Facility PUE of sites not listed in carbon.pue-by-site.");

    public static final ConfigOption<String> PUE_BY_SITE =
            key("carbon.pue-by-site")
                    .stringType()
                    .defaultValue("")
                    .withDescription("PUE per site: site=pue,... (e.g. eu-west-1-c01-s0=1.4).");

    public static final ConfigOption<Double> GRID_DEFAULT =
            key("carbon.grid-default-g-per-kwh")
                    .doubleType()
                    .defaultValue(400.0)
                    .withDescription(
                            "Grid intensity where the feed has no record (the seed's 0.4"
                                    + " kg/kWh).");

    public static final ConfigOption<Double> RENEWABLE =
            key("carbon.renewable-g-per-kwh")
                    .doubleType()
                    .defaultValue(20.0)
                    .withDescription(
                            "Intensity of on-site solar and wind in market-based accounting (the"
                                    + " seed's 0.02 kg/kWh).");

    public static final ConfigOption<String> CERTIFICATES =
            key("carbon.certificates")
                    .stringType()
                    .defaultValue("")
                    .withDescription(
                            "Share (0-1) of a region's grid energy covered by energy attribute"
                                    + " certificates: region=share,...");

    public static final ConfigOption<String> CREDITS =
            key("carbon.credits-kg-per-day")
                    .stringType()
                    .defaultValue("")
                    .withDescription(
                            "Carbon credits per day held against a node, cluster, region or hub:"
                                    + " key=kg,...; applied to its 1d windows.");

    public static final ConfigOption<String> NODE_CLASSES =
            key("carbon.node-classes")
                    .stringType()
                    .defaultValue("")
                    .withDescription(
                            "Node classes added to or replacing the built-in ones:"
                                    + " class=min-watts:max-watts:embodied-kg:lifespan-years,...");

    public static final ConfigOption<String> SCI_UNIT =
            key("carbon.sci-unit")
                    .stringType()
                    .defaultValue("device-hour")
                    .withDescription("SCI functional unit R: device-hour or 1000-events.");

    public static final ConfigOption<Double> SHIFT_THRESHOLD =
            key("carbon.shift-threshold-g-per-kwh")
                    .doubleType()
                    .defaultValue(450.0)
                    .withDescription(
                            "Marginal grid intensity at or above which a region gets a"
                                    + " shift_workload recommendation.");

    /** Every option the job accepts. */
    public static final List<ConfigOption<?>> ALL =
            CommonJobOptions.with(
                    List.of(
                            CARBON_TOPIC,
                            GRID_TOPIC,
                            ALERTS_TOPIC,
                            MAX_GAP,
                            ALLOWED_LATENESS,
                            DEFAULT_PUE,
                            PUE_BY_SITE,
                            GRID_DEFAULT,
                            RENEWABLE,
                            CERTIFICATES,
                            CREDITS,
                            NODE_CLASSES,
                            SCI_UNIT,
                            SHIFT_THRESHOLD));

    private CarbonJobOptions() {}

    /** The accounting settings the options describe; throws naming a malformed option. */
    public static CarbonSettings settings(Configuration options) {
        return CarbonSettings.builder()
                .maxGap(options.get(MAX_GAP))
                .allowedLateness(options.get(ALLOWED_LATENESS))
                .defaultPue(options.get(DEFAULT_PUE))
                .pueBySite(options.get(PUE_BY_SITE))
                .gridDefaultGPerKwh(options.get(GRID_DEFAULT))
                .renewableGPerKwh(options.get(RENEWABLE))
                .certificates(options.get(CERTIFICATES))
                .creditsKgPerDay(options.get(CREDITS))
                .nodeClasses(options.get(NODE_CLASSES))
                .sciUnit(CarbonSettings.SciUnit.parse(options.get(SCI_UNIT)))
                .build();
    }
}
