package dev.vigil.simulator.scenario;

import dev.vigil.simulator.fleet.SimNode;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The scenarios the simulator can inject, each with its duration range (seconds), how many nodes it
 * spans and where in the day it may fall.
 */
public enum ScenarioType {
    BRUTE_FORCE(30, 120, 20, 60),
    MFA_FATIGUE(60, 300, 30, 60),
    CREDENTIAL_STUFFING(60, 240, 120, 300),
    PORT_SCAN(10, 60, 120, 300),
    DDOS(60, 300, 120, 300),
    DATA_EXFILTRATION(120, 600, 120, 300),
    PRIVILEGE_ESCALATION(30, 300, 30, 300),
    MALWARE_BEACONING(900, 2700, 900, 1800),
    LATERAL_MOVEMENT(120, 600, 120, 600),
    CRYPTO_MINING(300, 1200, 300, 600),
    CONFIG_CHANGE(10, 60, 10, 60),
    OVERHEATING(180, 600, 120, 300),
    MEMORY_LEAK(600, 2400, 480, 900),
    DISK_FILLING(600, 1800, 480, 900),
    NETWORK_CONGESTION(120, 600, 5, 15),
    SENSOR_SPOOFING(5, 30, 1, 1),
    // variant families (VariantScenarios): not in the standard set, see variants()
    SLOW_BRUTE_FORCE(3600, 7200, 600, 1200),
    DISTRIBUTED_CREDENTIAL(600, 2400, 300, 900),
    JITTERED_BEACONING(2400, 4800, 1800, 3600),
    SLOW_EXFILTRATION(1200, 2400, 600, 1800),
    OLD_REPLAY(600, 3600, 8, 35),
    PATCH_ROLLOUT(120, 300, 600, 1500),
    FROZEN_SENSOR(60, 600, 5, 20),
    FORGED_TEMPERATURE(60, 240, 20, 30);

    private final int minSeconds;
    private final int maxSeconds;
    private final int nearMissMinSeconds;
    private final int nearMissMaxSeconds;

    ScenarioType(int minSeconds, int maxSeconds, int nearMissMinSeconds, int nearMissMaxSeconds) {
        this.minSeconds = minSeconds;
        this.maxSeconds = maxSeconds;
        this.nearMissMinSeconds = nearMissMinSeconds;
        this.nearMissMaxSeconds = nearMissMaxSeconds;
    }

    /**
     * Scenarios that the same rules detect: two of one family on a node keep {@link
     * ScenarioScheduler#FAMILY_GAP_MILLIS} apart, so that one's alert does not suppress the other's
     * (a label per cause, an alert per label).
     */
    public String family() {
        return switch (this) {
            case BRUTE_FORCE, SLOW_BRUTE_FORCE -> "password-guessing";
            case CREDENTIAL_STUFFING, DISTRIBUTED_CREDENTIAL -> "credential-attacks";
            case MALWARE_BEACONING, JITTERED_BEACONING -> "beaconing";
            case DATA_EXFILTRATION, SLOW_EXFILTRATION -> "exfiltration";
            case SENSOR_SPOOFING, OLD_REPLAY -> "telemetry-integrity";
            case PRIVILEGE_ESCALATION, CRYPTO_MINING, PATCH_ROLLOUT -> "root-activity";
            default -> label();
        };
    }

    /** True for the variant families, which {@code --scenarios all} leaves out. */
    public boolean variant() {
        return ordinal() >= SLOW_BRUTE_FORCE.ordinal();
    }

    /** The standard scenarios: what {@code --scenarios all} injects. */
    public static Set<ScenarioType> standard() {
        Set<ScenarioType> set = EnumSet.noneOf(ScenarioType.class);
        for (ScenarioType t : values()) {
            if (!t.variant()) {
                set.add(t);
            }
        }
        return set;
    }

    /** The variant families: slower, sparser, jittered, ramping attacks and bigger look-alikes. */
    public static Set<ScenarioType> variants() {
        Set<ScenarioType> set = EnumSet.noneOf(ScenarioType.class);
        for (ScenarioType t : values()) {
            if (t.variant()) {
                set.add(t);
            }
        }
        return set;
    }

    /** The name in ground-truth labels and on the command line, e.g. {@code brute_force}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a label such as {@code port_scan} or {@code port-scan}. */
    public static ScenarioType parse(String label) {
        String normalised = label.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (ScenarioType type : values()) {
            if (type.name().equals(normalised)) {
                return type;
            }
        }
        throw new IllegalArgumentException(
                "unknown scenario '"
                        + label
                        + "'; known: "
                        + java.util.Arrays.stream(values()).map(ScenarioType::label).toList());
    }

    /** Duration of one injection, whole seconds. */
    public long durationMillis(SplittableRandom random, boolean nearMiss) {
        int lo = nearMiss ? nearMissMinSeconds : minSeconds;
        int hi = nearMiss ? nearMissMaxSeconds : maxSeconds;
        return (lo + (hi > lo ? random.nextInt(hi - lo + 1) : 0)) * 1000L;
    }

    /** How many nodes one injection spans. */
    public int nodes(SplittableRandom random, boolean nearMiss) {
        return switch (this) {
            case CREDENTIAL_STUFFING -> nearMiss ? 2 + random.nextInt(2) : 5 + random.nextInt(8);
            case LATERAL_MOVEMENT -> nearMiss ? 2 : 4 + random.nextInt(5);
            case DISTRIBUTED_CREDENTIAL -> nearMiss ? 2 : 3 + random.nextInt(2);
            case PATCH_ROLLOUT -> nearMiss ? 3 + random.nextInt(2) : 1;
            default -> 1;
        };
    }

    /** Whether an injection over [start, end] may be placed there (the change-window rule). */
    public boolean fits(long start, long end, boolean nearMiss) {
        if (this != CONFIG_CHANGE && this != PATCH_ROLLOUT) {
            return true;
        }
        boolean inside = ChangeWindow.contains(start) && ChangeWindow.contains(end);
        return nearMiss ? inside : !ChangeWindow.intersects(start, end);
    }

    /**
     * Multi-node scenarios must stay within one cluster (credentials and lateral moves are
     * cluster-local).
     */
    public boolean clusterLocal() {
        return this == LATERAL_MOVEMENT || this == DISTRIBUTED_CREDENTIAL || this == PATCH_ROLLOUT;
    }

    /**
     * Creates one injection.
     *
     * @param outside draw a variant's parameters from beyond its tuned range (standard scenarios
     *     ignore it)
     */
    public Scenario create(
            String id,
            boolean nearMiss,
            boolean outside,
            List<SimNode> targets,
            long start,
            long end,
            SplittableRandom random) {
        return switch (this) {
            case SLOW_BRUTE_FORCE ->
                    new VariantScenarios.SlowBruteForce(
                            id, nearMiss, outside, targets, start, end, random);
            case DISTRIBUTED_CREDENTIAL ->
                    new VariantScenarios.DistributedCredential(
                            id, nearMiss, outside, targets, start, end, random);
            case JITTERED_BEACONING ->
                    new VariantScenarios.JitteredBeaconing(
                            id, nearMiss, outside, targets, start, end, random);
            case SLOW_EXFILTRATION ->
                    new VariantScenarios.SlowExfiltration(
                            id, nearMiss, outside, targets, start, end, random);
            case OLD_REPLAY ->
                    new VariantScenarios.OldReplay(
                            id, nearMiss, outside, targets, start, end, random);
            case PATCH_ROLLOUT ->
                    new VariantScenarios.PatchRollout(
                            id, nearMiss, outside, targets, start, end, random);
            case FROZEN_SENSOR ->
                    new VariantScenarios.FrozenSensor(
                            id, nearMiss, outside, targets, start, end, random);
            case FORGED_TEMPERATURE ->
                    new VariantScenarios.ForgedTemperature(
                            id, nearMiss, outside, targets, start, end, random);
            case BRUTE_FORCE ->
                    new AuthScenarios.BruteForce(id, nearMiss, targets, start, end, random);
            case MFA_FATIGUE ->
                    new AuthScenarios.MfaFatigue(id, nearMiss, targets, start, end, random);
            case CREDENTIAL_STUFFING ->
                    new AuthScenarios.CredentialStuffing(id, nearMiss, targets, start, end, random);
            case LATERAL_MOVEMENT ->
                    new AuthScenarios.LateralMovement(id, nearMiss, targets, start, end, random);
            case PRIVILEGE_ESCALATION ->
                    new AuthScenarios.PrivilegeEscalation(
                            id, nearMiss, targets, start, end, random);
            case PORT_SCAN ->
                    new NetworkScenarios.PortScan(id, nearMiss, targets, start, end, random);
            case DDOS -> new NetworkScenarios.Ddos(id, nearMiss, targets, start, end, random);
            case DATA_EXFILTRATION ->
                    new NetworkScenarios.Exfiltration(id, nearMiss, targets, start, end, random);
            case MALWARE_BEACONING ->
                    new NetworkScenarios.Beaconing(id, nearMiss, targets, start, end, random);
            case NETWORK_CONGESTION ->
                    new NetworkScenarios.Congestion(id, nearMiss, targets, start, end, random);
            case OVERHEATING ->
                    new ResourceScenarios.Overheating(id, nearMiss, targets, start, end, random);
            case MEMORY_LEAK ->
                    new ResourceScenarios.MemoryLeak(id, nearMiss, targets, start, end, random);
            case DISK_FILLING ->
                    new ResourceScenarios.DiskFilling(id, nearMiss, targets, start, end, random);
            case CRYPTO_MINING ->
                    new ResourceScenarios.CryptoMining(id, nearMiss, targets, start, end, random);
            case CONFIG_CHANGE ->
                    new IntegrityScenarios.ConfigChange(id, nearMiss, targets, start, end, random);
            case SENSOR_SPOOFING ->
                    new IntegrityScenarios.SensorSpoofing(
                            id, nearMiss, targets, start, end, random);
        };
    }
}
