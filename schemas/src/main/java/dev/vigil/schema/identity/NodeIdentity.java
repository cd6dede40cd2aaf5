package dev.vigil.schema.identity;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Binds a telemetry record to the node that sent it. Every node holds its own key, derived from the
 * fleet key as {@code HMAC-SHA256(fleet key, "vigil-node-key|" + node id)}, and sends with each
 * record the header {@value #HEADER}: {@code HMAC-SHA256(node key, value bytes)}. The ingest path,
 * which holds the fleet key, derives the key of the node the record claims to come from and checks
 * the MAC over the bytes it received, before it trusts anything in them. One node's key therefore
 * cannot vouch for another node's telemetry, while all sensors still share one Kafka principal.
 *
 * <p>Symmetric by choice: a MAC costs about a microsecond per record where an Ed25519 verification
 * costs about fifty (docs/SECURITY.md, docs/BENCHMARKS.md); the verifier is the platform itself,
 * which is trusted with the fleet key. Not thread-safe (it reuses a {@link Mac}): one per task.
 */
public final class NodeIdentity implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The record header carrying the node's MAC over the value. */
    public static final String HEADER = "vigil.node.mac";

    /** Bytes of the fleet key and of every node key. */
    public static final int KEY_BYTES = 32;

    /** Node keys kept per instance; a larger fleet re-derives (one more MAC per record). */
    private static final int CACHE_LIMIT = 100_000;

    private static final String ALGORITHM = "HmacSHA256";

    private final byte[] fleetKey;
    private transient Mac mac;
    private transient Map<String, byte[]> nodeKeys;
    private transient Map<String, Mac> nodeMacs;

    private NodeIdentity(byte[] fleetKey) {
        if (fleetKey.length != KEY_BYTES) {
            throw new IllegalArgumentException(
                    "a fleet key has " + KEY_BYTES + " bytes, this one " + fleetKey.length);
        }
        this.fleetKey = fleetKey.clone();
    }

    /** The identity of a fleet whose key is {@code fleetKey}. */
    public static NodeIdentity ofFleetKey(byte[] fleetKey) {
        return new NodeIdentity(fleetKey);
    }

    /** Reads a fleet key file: the key in Base64 on one line. */
    public static NodeIdentity read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("fleet key file " + file + " not found");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.UTF_8).trim());
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " does not hold a Base64 fleet key", e);
        }
        if (key.length != KEY_BYTES) {
            throw new IOException(
                    file + " holds " + key.length + " bytes, a fleet key has " + KEY_BYTES);
        }
        return new NodeIdentity(key);
    }

    /** The key of {@code nodeId}: what that node, and only it, is given. */
    public byte[] nodeKey(String nodeId) {
        if (nodeKeys == null) {
            nodeKeys = new HashMap<>();
        }
        byte[] key = nodeKeys.get(nodeId);
        if (key == null) {
            key = hmac(fleetKey, ("vigil-node-key|" + nodeId).getBytes(StandardCharsets.UTF_8));
            if (nodeKeys.size() >= CACHE_LIMIT) {
                nodeKeys.clear();
            }
            nodeKeys.put(nodeId, key);
        }
        return key;
    }

    /** The MAC a node with {@code nodeKey} sends with {@code value}. */
    public static byte[] sign(byte[] nodeKey, byte[] value) {
        try {
            Mac m = Mac.getInstance(ALGORITHM);
            m.init(new SecretKeySpec(nodeKey, ALGORITHM));
            return m.doFinal(value);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /** The MAC of {@code value} as node {@code nodeId} (the simulator: a whole fleet at once). */
    public byte[] signAs(String nodeId, byte[] value) {
        return hmac(nodeKey(nodeId), value);
    }

    /** Whether {@code mac} is {@code nodeId}'s MAC over {@code value}, in constant time. */
    public boolean verify(String nodeId, byte[] value, byte[] mac) {
        return mac != null && MessageDigest.isEqual(nodeMac(nodeId).doFinal(value), mac);
    }

    /**
     * A {@link Mac} keyed for {@code nodeId}, kept per node: {@code doFinal} leaves it keyed, so
     * the key's inner and outer pads are hashed once per node, not once per record.
     */
    private Mac nodeMac(String nodeId) {
        if (nodeMacs == null) {
            nodeMacs = new HashMap<>();
        }
        Mac m = nodeMacs.get(nodeId);
        if (m == null) {
            try {
                m = Mac.getInstance(ALGORITHM);
                m.init(new SecretKeySpec(nodeKey(nodeId), ALGORITHM));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HMAC-SHA256 is not available", e);
            }
            if (nodeMacs.size() >= CACHE_LIMIT) {
                nodeMacs.clear();
            }
            nodeMacs.put(nodeId, m);
        }
        return m;
    }

    private byte[] hmac(byte[] key, byte[] data) {
        try {
            if (mac == null) {
                mac = Mac.getInstance(ALGORITHM);
            }
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
