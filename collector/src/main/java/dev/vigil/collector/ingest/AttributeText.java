package dev.vigil.collector.ingest;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.Base64;
import java.util.List;

/** OTLP attribute values as text, and lookups in attribute lists. */
final class AttributeText {
    private AttributeText() {}

    /** The value of {@code key}, as text; null if absent. Linear: attribute lists are short. */
    static String get(List<KeyValue> attributes, String key) {
        for (int i = 0, n = attributes.size(); i < n; i++) {
            KeyValue kv = attributes.get(i);
            if (kv.getKey().equals(key)) {
                return text(kv.getValue());
            }
        }
        return null;
    }

    static String text(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
            case INT_VALUE -> Long.toString(v.getIntValue());
            case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
            case BYTES_VALUE ->
                Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray());
            case ARRAY_VALUE -> {
                StringBuilder b = new StringBuilder("[");
                List<AnyValue> values = v.getArrayValue().getValuesList();
                for (int i = 0; i < values.size(); i++) {
                    if (i > 0) {
                        b.append(", ");
                    }
                    b.append(text(values.get(i)));
                }
                yield b.append(']').toString();
            }
            case KVLIST_VALUE -> {
                StringBuilder b = new StringBuilder("{");
                List<KeyValue> values = v.getKvlistValue().getValuesList();
                for (int i = 0; i < values.size(); i++) {
                    if (i > 0) {
                        b.append(", ");
                    }
                    b.append(values.get(i).getKey())
                            .append('=')
                            .append(text(values.get(i).getValue()));
                }
                yield b.append('}').toString();
            }
            default -> ""; // unset, or a value kind newer than this collector
        };
    }

    /** Booleans may come as {@code true}/{@code false} values or strings; anything else is unknown (null). */
    static Boolean bool(String text) {
        if ("true".equalsIgnoreCase(text)) {
            return Boolean.TRUE;
        }
        if ("false".equalsIgnoreCase(text)) {
            return Boolean.FALSE;
        }
        return null;
    }

    static String hex(com.google.protobuf.ByteString id) {
        if (id.isEmpty()) {
            return null;
        }
        StringBuilder s = new StringBuilder(id.size() * 2);
        for (int i = 0; i < id.size(); i++) {
            byte b = id.byteAt(i);
            s.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return s.toString();
    }
}
