package dev.vigil.audit;

import dev.vigil.schema.AuditCheckpoint;
import dev.vigil.schema.AuditEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;

/**
 * Proves the integrity of an audit trail read from the {@code audit} and {@code audit-checkpoints}
 * topics (or an export of them): every chain's entries have consecutive sequences, each links to
 * the previous entry's hash and carries its own correct hash, and every signed tree head matches
 * the entries it covers, links to the chain's previous head and carries valid Ed25519 and ML-DSA-65
 * signatures of a known key. The first violation is reported with the topic, partition and offset
 * of the record at fault: a modified record fails its hash, a deleted one leaves a sequence gap, an
 * inserted, reordered or duplicated one breaks the sequence or the link.
 */
public final class AuditVerifier {

    /** A record as read: where it was and what it holds. */
    public record Located<T>(String topic, int partition, long offset, T record) {}

    /** The first problem found. */
    public record Problem(String topic, int partition, long offset, String chainId, String what) {
        @Override
        public String toString() {
            return topic
                    + " partition "
                    + partition
                    + " offset "
                    + offset
                    + " (chain "
                    + chainId
                    + "): "
                    + what;
        }
    }

    /** What a verification found. */
    public record Report(
            long entries,
            long checkpoints,
            Map<String, Long> chainSizes,
            Map<String, Long> uncovered,
            Problem problem) {
        public boolean intact() {
            return problem == null;
        }
    }

    private final Map<String, HybridPublicKeys> keys;
    private final LongConsumer progress;

    /**
     * @param keys public keys by key id
     * @param progress called with the number of entries checked so far, every 10,000 entries
     */
    public AuditVerifier(Map<String, HybridPublicKeys> keys, LongConsumer progress) {
        this.keys = keys;
        this.progress = progress;
    }

    /**
     * Verifies {@code entries} (in offset order within each partition) and {@code checkpoints} (in
     * offset order).
     */
    public Report verify(
            List<Located<AuditEvent>> entries, List<Located<AuditCheckpoint>> checkpoints) {
        Map<String, List<byte[]>> leaves = new TreeMap<>();
        Map<String, byte[]> heads = new LinkedHashMap<>();
        long checked = 0;
        for (Located<AuditEvent> l : entries) {
            AuditEvent e = l.record();
            String chain = e.getChainId();
            List<byte[]> chainLeaves = leaves.computeIfAbsent(chain, k -> new ArrayList<>());
            long expected = chainLeaves.size();
            if (e.getSequence() != expected) {
                String what =
                        e.getSequence() < expected
                                ? "sequence "
                                        + e.getSequence()
                                        + " comes again after "
                                        + (expected - 1)
                                        + " (a duplicated, reordered or inserted entry)"
                                : "sequence "
                                        + e.getSequence()
                                        + " follows "
                                        + (expected - 1)
                                        + ": "
                                        + (e.getSequence() - expected)
                                        + " entr"
                                        + (e.getSequence() - expected == 1 ? "y is" : "ies are")
                                        + " missing (deleted or reordered)";
                return report(checked, 0, leaves, null, problem(l, chain, what));
            }
            byte[] prev = heads.getOrDefault(chain, AuditChain.GENESIS);
            if (!Arrays.equals(AuditChain.bytes(e.getPrevHash()), prev)) {
                return report(
                        checked,
                        0,
                        leaves,
                        null,
                        problem(
                                l,
                                chain,
                                "prev_hash does not match the hash of entry " + (expected - 1)));
            }
            byte[] h = AuditChain.hash(e);
            if (!Arrays.equals(h, AuditChain.bytes(e.getHash()))) {
                return report(
                        checked,
                        0,
                        leaves,
                        null,
                        problem(l, chain, "the entry's contents do not match its hash (modified)"));
            }
            heads.put(chain, h);
            chainLeaves.add(h);
            checked++;
            if (checked % 10_000 == 0) {
                progress.accept(checked);
            }
        }
        Map<String, Map<Long, byte[]>> roots = rootsAtCheckpoints(leaves, checkpoints);
        Map<String, Long> previousSize = new TreeMap<>();
        Map<String, byte[]> previousRoot = new TreeMap<>();
        long headsChecked = 0;
        for (Located<AuditCheckpoint> l : checkpoints) {
            AuditCheckpoint c = l.record();
            String chain = c.getChainId();
            String what =
                    headProblem(
                            c,
                            leaves.getOrDefault(chain, List.of()).size(),
                            previousSize.getOrDefault(chain, 0L),
                            previousRoot.getOrDefault(chain, new byte[0]),
                            roots.get(chain));
            if (what != null) {
                return report(checked, headsChecked, leaves, null, problem(l, chain, what));
            }
            previousSize.put(chain, c.getTreeSize());
            previousRoot.put(chain, AuditChain.bytes(c.getRootHash()));
            headsChecked++;
        }
        Map<String, Long> uncovered = new TreeMap<>();
        for (Map.Entry<String, List<byte[]>> e : leaves.entrySet()) {
            long signed = previousSize.getOrDefault(e.getKey(), 0L);
            if (e.getValue().size() > signed) {
                uncovered.put(e.getKey(), e.getValue().size() - signed);
            }
        }
        return report(checked, headsChecked, leaves, uncovered, null);
    }

    /** What is wrong with a tree head, or null: key, signatures, size, link, root. */
    private String headProblem(
            AuditCheckpoint c,
            long entries,
            long prevSize,
            byte[] prevRoot,
            Map<Long, byte[]> roots) {
        HybridPublicKeys key = keys.get(c.getKeyId());
        if (key == null) {
            return "signed by unknown key " + c.getKeyId();
        }
        if (!key.verify(AuditChain.signedBytes(c), AuditChain.signature(c))) {
            return "the tree head's signatures do not verify with key " + c.getKeyId();
        }
        long size = c.getTreeSize();
        if (size > entries) {
            return "the signed tree head covers "
                    + size
                    + " entries but the chain has "
                    + entries
                    + " (entries deleted at its end)";
        }
        if (c.getPreviousTreeSize() != prevSize
                || !Arrays.equals(AuditChain.bytes(c.getPreviousRootHash()), prevRoot)) {
            return "the tree head does not link to the chain's previous one (size "
                    + prevSize
                    + "): a tree head is missing or out of order";
        }
        if (!Arrays.equals(roots.get(size), AuditChain.bytes(c.getRootHash()))) {
            return "the signed root does not match entries 0.." + (size - 1) + " as they are now";
        }
        return null;
    }

    /** The tree hash of each chain at every size a tree head names, in one pass over the leaves. */
    private static Map<String, Map<Long, byte[]>> rootsAtCheckpoints(
            Map<String, List<byte[]>> leaves, List<Located<AuditCheckpoint>> checkpoints) {
        Map<String, java.util.TreeSet<Long>> sizes = new TreeMap<>();
        for (Located<AuditCheckpoint> l : checkpoints) {
            sizes.computeIfAbsent(l.record().getChainId(), k -> new java.util.TreeSet<>())
                    .add(l.record().getTreeSize());
        }
        Map<String, Map<Long, byte[]>> roots = new TreeMap<>();
        sizes.forEach(
                (chain, wanted) -> {
                    Map<Long, byte[]> at = new TreeMap<>();
                    MerkleTree.Compact tree = new MerkleTree.Compact();
                    if (wanted.contains(0L)) {
                        at.put(0L, tree.root());
                    }
                    for (byte[] leaf : leaves.getOrDefault(chain, List.of())) {
                        tree.append(leaf);
                        if (wanted.contains(tree.size())) {
                            at.put(tree.size(), tree.root());
                        }
                    }
                    roots.put(chain, at);
                });
        return roots;
    }

    private static Problem problem(Located<?> l, String chain, String what) {
        return new Problem(l.topic(), l.partition(), l.offset(), chain, what);
    }

    private static Report report(
            long entries,
            long checkpoints,
            Map<String, List<byte[]>> leaves,
            Map<String, Long> uncovered,
            Problem problem) {
        Map<String, Long> sizes = new TreeMap<>();
        leaves.forEach((k, v) -> sizes.put(k, (long) v.size()));
        return new Report(
                entries, checkpoints, sizes, uncovered == null ? Map.of() : uncovered, problem);
    }
}
