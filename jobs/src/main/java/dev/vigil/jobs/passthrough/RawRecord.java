package dev.vigil.jobs.passthrough;

/**
 * A Kafka record as bytes, copied through without decoding (a Flink POJO: no generic types).
 *
 * @param key the record key, or null
 * @param value the record value
 * @param timestamp the record timestamp (milliseconds since the epoch)
 * @param headerKeys the header keys, in order
 * @param headerValues the header values, in the order of their keys
 */
public record RawRecord(
        byte[] key, byte[] value, long timestamp, String[] headerKeys, byte[][] headerValues) {}
