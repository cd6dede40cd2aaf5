package dev.vigil.models;

/**
 * DJL must never reach the network: no model zoo, no native download, no usage tracking. Sets the
 * system properties DJL reads unless the JVM already sets them.
 */
public final class DjlOffline {

    private DjlOffline() {}

    /** Idempotent. */
    public static void configure() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (System.getProperty("OPT_OUT_TRACKING") == null) {
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
    }
}
