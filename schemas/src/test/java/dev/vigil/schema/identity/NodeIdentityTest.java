package dev.vigil.schema.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeIdentityTest {

    private static final byte[] FLEET = new byte[NodeIdentity.KEY_BYTES];

    static {
        Arrays.fill(FLEET, (byte) 1);
    }

    @Test
    void eachNodeHasItsOwnKeyDerivedFromTheFleetKey() throws Exception {
        NodeIdentity fleet = NodeIdentity.ofFleetKey(FLEET);
        byte[] a = fleet.nodeKey("node-00001");
        byte[] b = fleet.nodeKey("node-00002");
        assertThat(a).hasSize(32).isNotEqualTo(b);
        // HMAC-SHA256(fleet key, "vigil-node-key|node-00001"), computed independently
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(FLEET, "HmacSHA256"));
        assertThat(HexFormat.of().formatHex(a))
                .isEqualTo(
                        HexFormat.of()
                                .formatHex(
                                        mac.doFinal(
                                                "vigil-node-key|node-00001"
                                                        .getBytes(StandardCharsets.UTF_8))));
        byte[] value = "a telemetry value".getBytes(StandardCharsets.UTF_8);
        assertThat(fleet.signAs("node-00001", value)).isEqualTo(NodeIdentity.sign(a, value));
        assertThat(fleet.verify("node-00001", value, NodeIdentity.sign(a, value))).isTrue();
        assertThat(fleet.verify("node-00002", value, NodeIdentity.sign(a, value))).isFalse();
        assertThat(fleet.verify("node-00001", value, null)).isFalse();
        assertThat(fleet.verify("node-00001", value, new byte[3])).isFalse();
    }

    @Test
    void aFleetKeyFileHoldsThirtyTwoBytesInBase64(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("fleet.key");
        Files.writeString(good, Base64.getEncoder().encodeToString(FLEET) + "\n");
        assertThat(NodeIdentity.read(good).nodeKey("n"))
                .isEqualTo(NodeIdentity.ofFleetKey(FLEET).nodeKey("n"));
        Path shortKey = dir.resolve("short.key");
        Files.writeString(shortKey, Base64.getEncoder().encodeToString(new byte[16]));
        assertThatThrownBy(() -> NodeIdentity.read(shortKey))
                .isInstanceOf(IOException.class)
                .hasMessage(shortKey + " holds 16 bytes, a fleet key has 32");
        assertThatThrownBy(() -> NodeIdentity.read(dir.resolve("none")))
                .hasMessage("fleet key file " + dir.resolve("none") + " not found");
    }
}
