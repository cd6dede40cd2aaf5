package dev.vigil.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class MerkleTreeTest {

    static List<byte[]> leaves(int n) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(ByteBuffer.allocate(4).putInt(i).array());
        }
        return out;
    }

    @Test
    void theEmptyTreeAndSmallTreesFollowRfc9162() {
        HexFormat hex = HexFormat.of();
        // MTH({}) = SHA-256 of the empty string
        assertThat(hex.formatHex(MerkleTree.root(List.of())))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        // MTH({""}) = SHA-256(0x00)
        assertThat(hex.formatHex(MerkleTree.root(List.of(new byte[0]))))
                .isEqualTo("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
        List<byte[]> three = leaves(3);
        // three leaves split 2 + 1
        assertThat(MerkleTree.root(three))
                .isEqualTo(
                        MerkleTree.nodeHash(
                                MerkleTree.nodeHash(
                                        MerkleTree.leafHash(three.get(0)),
                                        MerkleTree.leafHash(three.get(1))),
                                MerkleTree.leafHash(three.get(2))));
    }

    @Test
    void everyInclusionProofVerifiesAndATamperedOneDoesNot() {
        List<byte[]> all = leaves(40);
        for (int n = 1; n <= 40; n++) {
            byte[] root = MerkleTree.root(all, 0, n);
            for (int m = 0; m < n; m++) {
                List<byte[]> proof = MerkleTree.inclusionProof(all, m, n);
                assertThat(MerkleTree.verifyInclusion(all.get(m), m, n, proof, root))
                        .as("leaf %d of %d", m, n)
                        .isTrue();
                assertThat(MerkleTree.verifyInclusion(all.get((m + 1) % 40), m, n, proof, root))
                        .as("wrong leaf %d of %d", m, n)
                        .isFalse();
                if (!proof.isEmpty()) {
                    List<byte[]> bad = new ArrayList<>(proof);
                    byte[] first = bad.get(0).clone();
                    first[0] ^= 1;
                    bad.set(0, first);
                    assertThat(MerkleTree.verifyInclusion(all.get(m), m, n, bad, root)).isFalse();
                }
            }
        }
    }

    @Test
    void everyConsistencyProofVerifiesAndAForkedHistoryDoesNot() {
        List<byte[]> all = leaves(33);
        List<byte[]> forked = leaves(33);
        forked.set(2, new byte[] {9});
        for (int n = 1; n <= 33; n++) {
            for (int m = 1; m <= n; m++) {
                List<byte[]> proof = MerkleTree.consistencyProof(all, m, n);
                byte[] first = MerkleTree.root(all, 0, m);
                byte[] second = MerkleTree.root(all, 0, n);
                assertThat(MerkleTree.verifyConsistency(m, n, first, second, proof))
                        .as("%d -> %d", m, n)
                        .isTrue();
                if (m > 2 && m < n) {
                    // a second tree that rewrote leaf 2 is not an extension of the first
                    byte[] forkedSecond = MerkleTree.root(forked, 0, n);
                    List<byte[]> forkedProof = MerkleTree.consistencyProof(forked, m, n);
                    assertThat(MerkleTree.verifyConsistency(m, n, first, forkedSecond, forkedProof))
                            .as("forked %d -> %d", m, n)
                            .isFalse();
                }
            }
        }
    }

    @Test
    void theCompactTreeKeepsTheSameRootWithLogarithmicState() {
        List<byte[]> all = leaves(1_000);
        MerkleTree.Compact compact = new MerkleTree.Compact();
        for (int n = 1; n <= 1_000; n++) {
            compact.append(all.get(n - 1));
            assertThat(compact.root()).as("size %d", n).isEqualTo(MerkleTree.root(all, 0, n));
            assertThat(compact.subtrees()).hasSize(Integer.bitCount(n));
        }
        MerkleTree.Compact restored = MerkleTree.Compact.of(compact.size(), compact.subtrees());
        restored.append(new byte[] {7});
        compact.append(new byte[] {7});
        assertThat(restored.root()).isEqualTo(compact.root());
    }
}
