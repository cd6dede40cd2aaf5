package dev.vigil.bench.e2e;

import java.util.List;

/**
 * One job submission of a benchmark run.
 *
 * @param label the job's short name in tables
 * @param entryClass the job's main class in the job jar
 * @param args its program arguments
 */
record JobRun(String label, String entryClass, List<String> args) {}
