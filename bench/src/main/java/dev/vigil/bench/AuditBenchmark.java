package dev.vigil.bench;

import dev.vigil.audit.AuditChain;
import dev.vigil.audit.AuditVerifier;
import dev.vigil.audit.HybridSigner;
import dev.vigil.schema.AuditCheckpoint;
import dev.vigil.schema.AuditEvent;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Audit hot paths, one thread, no Flink: appending entries to a hash chain (Avro encoding + SHA-256
 * + compact Merkle tree), against the floor of hashing the same payload bytes once with SHA-256;
 * signing a tree head (Ed25519 + ML-DSA-65); and verifying a trail. Per core (thread CPU time),
 * medians of five passes after two warm-ups.
 *
 * <p>Usage: {@code bench/run-audit.sh [--entries 200000] [--payload 500]}.
 */
public final class AuditBenchmark {

    private AuditBenchmark() {}

    public static void main(String[] args) throws Exception {
        int entries = 200_000;
        int payloadBytes = 500;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--entries" -> entries = Integer.parseInt(args[i + 1]);
                case "--payload" -> payloadBytes = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Random random = new Random(1);
        byte[][] payloads = new byte[1_024][payloadBytes];
        for (byte[] p : payloads) {
            random.nextBytes(p);
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double[] floor = new double[5];
        double[] chain = new double[5];
        List<AuditEvent> trail = null;
        for (int pass = 0; pass < 7; pass++) {
            long t0 = mx.getCurrentThreadCpuTime();
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] h = new byte[32];
            for (int i = 0; i < entries; i++) {
                sha.update(h);
                h = sha.digest(payloads[i & 1023]);
            }
            long t1 = mx.getCurrentThreadCpuTime();
            AuditChain c = new AuditChain("bench");
            List<AuditEvent> out = new ArrayList<>(entries);
            for (int i = 0; i < entries; i++) {
                out.add(
                        c.append(
                                "ALERT",
                                "alert-" + i,
                                "alerts",
                                payloads[i & 1023],
                                42L,
                                Instant.ofEpochMilli(1_700_000_000_000L + i)));
            }
            long t2 = mx.getCurrentThreadCpuTime();
            if (pass >= 2) {
                floor[pass - 2] = (t1 - t0) / 1e9;
                chain[pass - 2] = (t2 - t1) / 1e9;
            }
            trail = out;
        }
        System.out.printf(
                Locale.ROOT,
                "%,d entries, %d-byte payloads%n"
                        + "floor (SHA-256 of the payload, chained): %,.0f entries/s per core%n"
                        + "AuditChain.append (Avro + SHA-256 + Merkle): %,.0f entries/s per core"
                        + " (%.1fx the floor's time)%n",
                entries,
                payloadBytes,
                entries / median(floor),
                entries / median(chain),
                median(chain) / median(floor));

        SecureRandom seed = SecureRandom.getInstance("SHA1PRNG");
        seed.setSeed(7);
        HybridSigner signer = HybridSigner.generate("key-0001", seed);
        int heads = 200;
        double[] signing = new double[5];
        for (int pass = 0; pass < 7; pass++) {
            AuditChain c = new AuditChain("heads");
            long spent = 0;
            for (int i = 0; i < heads; i++) {
                c.append("ALERT", "a", "alerts", payloads[i & 1023], 1, Instant.EPOCH);
                long t0 = mx.getCurrentThreadCpuTime();
                c.checkpoint(signer, Instant.EPOCH, (long) i);
                spent += mx.getCurrentThreadCpuTime() - t0;
            }
            if (pass >= 2) {
                signing[pass - 2] = spent / 1e6 / heads;
            }
        }
        System.out.printf(
                Locale.ROOT,
                "signed tree head (Ed25519 + ML-DSA-65): %.2f ms per head, %,.0f heads/s per"
                        + " core%n",
                median(signing),
                1000 / median(signing));

        // verification: the trail above with a tree head every 10,000 entries
        AuditChain c = new AuditChain("bench");
        List<AuditVerifier.Located<AuditEvent>> located = new ArrayList<>();
        List<AuditVerifier.Located<AuditCheckpoint>> checkpoints = new ArrayList<>();
        for (int i = 0; i < trail.size(); i++) {
            AuditEvent e =
                    c.append(
                            "ALERT",
                            "alert-" + i,
                            "alerts",
                            payloads[i & 1023],
                            42L,
                            Instant.ofEpochMilli(1_700_000_000_000L + i));
            located.add(new AuditVerifier.Located<>("audit", 0, i, e));
            if (i % 10_000 == 9_999) {
                checkpoints.add(
                        new AuditVerifier.Located<>(
                                "audit-checkpoints",
                                0,
                                checkpoints.size(),
                                c.checkpoint(signer, Instant.EPOCH, null)));
            }
        }
        double[] verify = new double[5];
        for (int pass = 0; pass < 7; pass++) {
            long t0 = mx.getCurrentThreadCpuTime();
            AuditVerifier.Report r =
                    new AuditVerifier(Map.of("key-0001", signer.publicKeys()), n -> {})
                            .verify(located, checkpoints);
            long t1 = mx.getCurrentThreadCpuTime();
            if (!r.intact()) {
                throw new IllegalStateException("benchmark trail not intact: " + r.problem());
            }
            if (pass >= 2) {
                verify[pass - 2] = (t1 - t0) / 1e9;
            }
        }
        System.out.printf(
                Locale.ROOT,
                "AuditVerifier: %,.0f entries/s per core (%d signed tree heads checked)%n",
                located.size() / median(verify),
                checkpoints.size());
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }
}
