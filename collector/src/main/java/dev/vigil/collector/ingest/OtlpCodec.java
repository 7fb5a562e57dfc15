package dev.vigil.collector.ingest;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Protobuf and OTLP/JSON bodies in and out. */
final class OtlpCodec {
    private static final JsonFormat.Parser JSON_PARSER = JsonFormat.parser().ignoringUnknownFields();
    private static final JsonFormat.Printer JSON_PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

    private OtlpCodec() {}

    /** The body format, from the Content-Type header (parameters ignored); null if unsupported. */
    enum Format {
        PROTOBUF("application/x-protobuf"),
        JSON("application/json");

        final String contentType;

        Format(String contentType) {
            this.contentType = contentType;
        }

        static Format of(String contentTypeHeader) {
            if (contentTypeHeader == null) {
                return null;
            }
            int semi = contentTypeHeader.indexOf(';');
            String mime = (semi >= 0 ? contentTypeHeader.substring(0, semi) : contentTypeHeader).trim();
            for (Format f : values()) {
                if (f.contentType.equalsIgnoreCase(mime)) {
                    return f;
                }
            }
            return null;
        }
    }

    /** The body could not be decoded; the message says where and why. */
    static final class MalformedException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    static <B extends Message.Builder> B decode(byte[] body, Format format, B builder) throws MalformedException {
        try {
            if (format == Format.PROTOBUF) {
                builder.mergeFrom(body);
            } else {
                JSON_PARSER.merge(new String(body, StandardCharsets.UTF_8), builder);
            }
            return builder;
        } catch (InvalidProtocolBufferException e) {
            throw new MalformedException(
                    "invalid " + (format == Format.PROTOBUF ? "protobuf" : "OTLP/JSON") + " body: " + e.getMessage(),
                    e);
        } catch (RuntimeException e) {
            // JsonFormat reports some type mismatches (a string where an object belongs) this way
            throw new MalformedException("invalid OTLP/JSON body: " + e.getMessage(), e);
        }
    }

    static byte[] encode(Message m, Format format) {
        if (format == Format.PROTOBUF) {
            return m.toByteArray();
        }
        try {
            return JSON_PRINTER.print(m).getBytes(StandardCharsets.UTF_8);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("an OTLP response is always printable", e);
        }
    }

    /**
     * A {@code google.rpc.Status} (code, message), the body OTLP/HTTP prescribes for errors. Written
     * by hand: two fields, and the message class is not in the OTLP jar.
     */
    static byte[] status(int grpcCode, String message, Format format) {
        if (format == Format.JSON) {
            StringBuilder json =
                    new StringBuilder("{\"code\":").append(grpcCode).append(",\"message\":\"");
            for (char c : message.toCharArray()) {
                switch (c) {
                    case '"' -> json.append("\\\"");
                    case '\\' -> json.append("\\\\");
                    default -> {
                        if (c < 0x20) {
                            json.append(String.format("\\u%04x", (int) c));
                        } else {
                            json.append(c);
                        }
                    }
                }
            }
            return json.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
        }
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            out.writeInt32(1, grpcCode);
            out.writeString(2, message);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
    }
}
