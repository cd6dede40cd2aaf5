package dev.vigil.operators.serde;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Field encodings shared by Vigil's serializers. Strings are a variable-length {@code length + 1}
 * (0 for null) followed by their UTF-8 bytes: for the ASCII identifiers telemetry is made of this
 * is an array copy each way, where Flink's {@code StringValue} goes char by char.
 */
public final class BinaryFields {

    private BinaryFields() {}

    public static void writeString(String value, DataOutputView out) throws IOException {
        if (value == null) {
            out.writeByte(0);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        writeVarInt(bytes.length + 1, out);
        out.write(bytes);
    }

    public static String readString(DataInputView in) throws IOException {
        int lengthPlusOne = readVarInt(in);
        if (lengthPlusOne == 0) {
            return null;
        }
        byte[] bytes = new byte[lengthPlusOne - 1];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    public static void writeVarInt(int value, DataOutputView out) throws IOException {
        while ((value & ~0x7F) != 0) {
            out.writeByte((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.writeByte(value);
    }

    public static int readVarInt(DataInputView in) throws IOException {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = in.readByte();
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (value < 0) {
                    throw new IOException("corrupt length: " + Integer.toUnsignedString(value));
                }
                return value;
            }
        }
        throw new IOException("corrupt length: more than five bytes");
    }

    /** Bit {@code index} set when {@code value} is present. */
    public static int bit(Object value, int index) {
        return value == null ? 0 : 1 << index;
    }

    public static boolean has(int mask, int index) {
        return (mask & 1 << index) != 0;
    }

    public static void writeIfPresent(Double value, DataOutputView out) throws IOException {
        if (value != null) {
            out.writeDouble(value);
        }
    }

    public static void writeIfPresent(Long value, DataOutputView out) throws IOException {
        if (value != null) {
            out.writeLong(value);
        }
    }

    public static void writeIfPresent(Integer value, DataOutputView out) throws IOException {
        if (value != null) {
            out.writeInt(value);
        }
    }

    public static Double readDouble(int mask, int index, DataInputView in) throws IOException {
        return has(mask, index) ? in.readDouble() : null;
    }

    public static Long readLong(int mask, int index, DataInputView in) throws IOException {
        return has(mask, index) ? in.readLong() : null;
    }

    public static Integer readInt(int mask, int index, DataInputView in) throws IOException {
        return has(mask, index) ? in.readInt() : null;
    }
}
