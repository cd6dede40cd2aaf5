package dev.vigil.local;

import java.util.List;

/**
 * A job the local stack runs: its name on the cluster, entry class in the job jar, and arguments.
 *
 * @param name job name as the job main sets it (used to find a running instance)
 * @param entryClass main class in the job jar
 * @param args program arguments
 */
public record JobSpec(String name, String entryClass, List<String> args) {}
