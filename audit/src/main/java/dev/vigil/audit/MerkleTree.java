package dev.vigil.audit;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * RFC 9162 (Certificate Transparency 2.0) Merkle tree hashes over a list of leaves: the tree hash,
 * inclusion proofs and consistency proofs, and their verification (sections 2.1.1–2.1.4). Leaf hash
 * = SHA-256(0x00 ‖ leaf), node hash = SHA-256(0x01 ‖ left ‖ right).
 */
public final class MerkleTree {

    private MerkleTree() {}

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    public static byte[] leafHash(byte[] leaf) {
        MessageDigest d = sha256();
        d.update((byte) 0);
        d.update(leaf);
        return d.digest();
    }

    public static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest d = sha256();
        d.update((byte) 1);
        d.update(left);
        d.update(right);
        return d.digest();
    }

    /** MTH(D[from:to]). */
    public static byte[] root(List<byte[]> leaves, int from, int to) {
        int n = to - from;
        if (n == 0) {
            return sha256().digest();
        }
        if (n == 1) {
            return leafHash(leaves.get(from));
        }
        int k = largestPowerOfTwoBelow(n);
        return nodeHash(root(leaves, from, from + k), root(leaves, from + k, to));
    }

    public static byte[] root(List<byte[]> leaves) {
        return root(leaves, 0, leaves.size());
    }

    /** PATH(m, D[n]): the inclusion proof of leaf {@code m} in the first {@code n} leaves. */
    public static List<byte[]> inclusionProof(List<byte[]> leaves, int m, int n) {
        if (m < 0 || m >= n || n > leaves.size()) {
            throw new IllegalArgumentException("no leaf " + m + " in a tree of " + n);
        }
        List<byte[]> path = new ArrayList<>();
        path(leaves, m, 0, n, path);
        return path;
    }

    private static void path(List<byte[]> leaves, int m, int from, int to, List<byte[]> out) {
        int n = to - from;
        if (n == 1) {
            return;
        }
        int k = largestPowerOfTwoBelow(n);
        if (m < k) {
            path(leaves, m, from, from + k, out);
            out.add(root(leaves, from + k, to));
        } else {
            path(leaves, m - k, from + k, to, out);
            out.add(root(leaves, from, from + k));
        }
    }

    /** Verifies an inclusion proof (RFC 9162 section 2.1.3.2). */
    public static boolean verifyInclusion(
            byte[] leaf, long index, long treeSize, List<byte[]> proof, byte[] root) {
        if (index < 0 || index >= treeSize) {
            return false;
        }
        long fn = index;
        long sn = treeSize - 1;
        byte[] r = leafHash(leaf);
        for (byte[] p : proof) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = nodeHash(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                r = nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && Arrays.equals(r, root);
    }

    /** PROOF(m, D[n]): the consistency proof between the first {@code m} and {@code n} leaves. */
    public static List<byte[]> consistencyProof(List<byte[]> leaves, int m, int n) {
        if (m <= 0 || m > n || n > leaves.size()) {
            throw new IllegalArgumentException("no consistency proof from " + m + " to " + n);
        }
        List<byte[]> out = new ArrayList<>();
        subproof(leaves, m, 0, n, true, out);
        return out;
    }

    private static void subproof(
            List<byte[]> leaves, int m, int from, int to, boolean complete, List<byte[]> out) {
        int n = to - from;
        if (m == n) {
            if (!complete) {
                out.add(root(leaves, from, to));
            }
            return;
        }
        int k = largestPowerOfTwoBelow(n);
        if (m <= k) {
            subproof(leaves, m, from, from + k, complete, out);
            out.add(root(leaves, from + k, to));
        } else {
            subproof(leaves, m - k, from + k, to, false, out);
            out.add(root(leaves, from, from + k));
        }
    }

    /** Verifies a consistency proof (RFC 9162 section 2.1.4.2). */
    public static boolean verifyConsistency(
            long first, long second, byte[] firstRoot, byte[] secondRoot, List<byte[]> proof) {
        if (first <= 0 || first > second) {
            return false;
        }
        if (first == second) {
            return proof.isEmpty() && Arrays.equals(firstRoot, secondRoot);
        }
        List<byte[]> p = new ArrayList<>(proof);
        if (Long.bitCount(first) == 1) {
            p.add(0, firstRoot);
        }
        if (p.isEmpty()) {
            return false;
        }
        long fn = first - 1;
        long sn = second - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = p.get(0);
        byte[] sr = p.get(0);
        for (byte[] c : p.subList(1, p.size())) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = nodeHash(c, fr);
                sr = nodeHash(c, sr);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                sr = nodeHash(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && Arrays.equals(fr, firstRoot) && Arrays.equals(sr, secondRoot);
    }

    static int largestPowerOfTwoBelow(int n) {
        return Integer.highestOneBit(n - 1);
    }

    /**
     * The tree hash kept incrementally, as the job does: the roots of the perfect subtrees of the
     * leaves so far (at most 64), so appending and taking the root cost O(log n) hashes.
     */
    public static final class Compact {
        private final List<byte[]> subtrees = new ArrayList<>();
        private long size;

        public void append(byte[] leaf) {
            byte[] h = leafHash(leaf);
            long s = size;
            while ((s & 1) == 1) {
                h = nodeHash(subtrees.remove(subtrees.size() - 1), h);
                s >>= 1;
            }
            subtrees.add(h);
            size++;
        }

        public long size() {
            return size;
        }

        /** MTH of the leaves appended so far. */
        public byte[] root() {
            if (subtrees.isEmpty()) {
                return sha256().digest();
            }
            byte[] r = subtrees.get(subtrees.size() - 1);
            for (int i = subtrees.size() - 2; i >= 0; i--) {
                r = nodeHash(subtrees.get(i), r);
            }
            return r;
        }

        /** The subtree roots, largest first (for checkpointed state). */
        public List<byte[]> subtrees() {
            return List.copyOf(subtrees);
        }

        public static Compact of(long size, List<byte[]> subtrees) {
            if (Long.bitCount(size) != subtrees.size()) {
                throw new IllegalArgumentException(
                        "a tree of " + size + " leaves has " + Long.bitCount(size) + " subtrees");
            }
            Compact c = new Compact();
            c.size = size;
            c.subtrees.addAll(subtrees);
            return c;
        }
    }
}
