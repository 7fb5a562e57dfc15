package dev.vigil.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BufferRecordTest {
    private final BufferRecord record = new BufferRecord(42, Signal.TRACES, 7);
    private final byte[] body = "a request body".getBytes(StandardCharsets.UTF_8);

    @Test
    void roundTripsTheBody() {
        assertThat(record.decode(record.encode(body, 1234))).isEqualTo(body);
        assertThat(record.decode(record.encode(new byte[0], 1234))).isEmpty();
    }

    @Test
    void namesSortByAgeAndParseBack() {
        assertThat(record.fileName()).isEqualTo("00000000000000000042-traces-7.vgb");
        BufferRecord parsed = BufferRecord.parseName(record.fileName());
        assertThat(parsed.seq).isEqualTo(42);
        assertThat(parsed.signal).isEqualTo(Signal.TRACES);
        assertThat(parsed.items).isEqualTo(7);
        assertThat(BufferRecord.parseName(record.fileName() + ".tmp").seq).isEqualTo(42);
        assertThat(new BufferRecord(9, Signal.LOGS, 1).fileName())
                .isLessThan(new BufferRecord(10, Signal.METRICS, 1).fileName());
    }

    @Test
    void rejectsNamesItDidNotWrite() {
        assertThat(BufferRecord.parseName("notes.txt")).isNull();
        assertThat(BufferRecord.parseName("42-traces-7.vgb")).isNull();
        assertThat(BufferRecord.parseName("00000000000000000042-spans-7.vgb")).isNull();
        assertThat(BufferRecord.parseName("00000000000000000042-traces-x.vgb")).isNull();
        assertThat(BufferRecord.parseName("00000000000000000042-traces--7.vgb")).isNull();
    }

    @Test
    void everyTruncationIsDetected() {
        byte[] file = record.encode(body, 1234);
        for (int length = 0; length < file.length; length++) {
            assertThat(record.decode(Arrays.copyOf(file, length)))
                    .as("truncated to %d bytes", length)
                    .isNull();
        }
    }

    @Test
    void everySingleBitFlipIsDetected() {
        byte[] file = record.encode(body, 1234);
        for (int i = 0; i < file.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] damaged = file.clone();
                damaged[i] ^= (byte) (1 << bit);
                assertThat(record.decode(damaged)).as("byte %d bit %d", i, bit).isNull();
            }
        }
    }

    @Test
    void aFileOfAnotherRecordIsNotAccepted() {
        byte[] file = new BufferRecord(42, Signal.LOGS, 7).encode(body, 1234);
        assertThat(record.decode(file)).isNull();
        assertThat(new BufferRecord(42, Signal.TRACES, 8).decode(record.encode(body, 1)))
                .isNull();
    }

    @Test
    void trailingGarbageIsDetected() {
        byte[] file = record.encode(body, 1234);
        assertThat(record.decode(Arrays.copyOf(file, file.length + 3))).isNull();
    }
}
