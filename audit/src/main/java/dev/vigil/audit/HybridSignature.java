package dev.vigil.audit;

/**
 * An Ed25519 signature and an ML-DSA-65 (FIPS 204) signature over the same bytes, by the key pair
 * {@code keyId}. A verifier accepts only when both verify: the classical one keeps today's
 * guarantees, the post-quantum one holds if Ed25519 falls.
 */
public record HybridSignature(String keyId, byte[] ed25519, byte[] mlDsa) {}
