package dev.vigil.operators.carbon;

/** Window sizes and hierarchy levels of carbon reports. */
public final class CarbonLevel {

    public static final String NODE = "NODE";
    public static final String CLUSTER = "CLUSTER";
    public static final String REGION = "REGION";
    public static final String HUB = "HUB";

    /** Window sizes reported, ms, with their labels. */
    public static final long[] SIZES = {60_000L, 3_600_000L, 86_400_000L};

    public static final String[] SIZE_LABELS = {"1m", "1h", "1d"};

    private CarbonLevel() {}

    /** Label of a window size. */
    public static String label(long size) {
        for (int i = 0; i < SIZES.length; i++) {
            if (SIZES[i] == size) {
                return SIZE_LABELS[i];
            }
        }
        throw new IllegalArgumentException("no carbon window of " + size + " ms");
    }
}
