package dev.vigil.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

/** Retry-After as sent by a collector (RFC 9110 section 10.2.3): delay-seconds or an HTTP-date. */
class RetryAfterTest {
    private static final long NOW = ZonedDateTime.of(2025, 3, 1, 12, 0, 0, 0, ZoneOffset.UTC)
            .toInstant()
            .toEpochMilli();

    @Test
    void delaySecondsAreMilliseconds() {
        assertThat(OtlpHttpSender.parseRetryAfter("120", NOW)).isEqualTo(120_000);
        assertThat(OtlpHttpSender.parseRetryAfter(" 0 ", NOW)).isZero();
    }

    @Test
    void httpDateIsTheTimeLeftUntilThen() {
        String in90s =
                DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.of(2025, 3, 1, 12, 1, 30, 0, ZoneOffset.UTC));
        assertThat(in90s).isEqualTo("Sat, 1 Mar 2025 12:01:30 GMT");
        assertThat(OtlpHttpSender.parseRetryAfter(in90s, NOW)).isEqualTo(90_000);
        assertThat(OtlpHttpSender.parseRetryAfter("Sat, 01 Mar 2025 12:00:05 GMT", NOW))
                .isEqualTo(5_000);
    }

    @Test
    void aDateInThePastMeansNow() {
        assertThat(OtlpHttpSender.parseRetryAfter("Fri, 28 Feb 2025 12:00:00 GMT", NOW))
                .isZero();
    }

    @Test
    void negativeSecondsMeanNow() {
        assertThat(OtlpHttpSender.parseRetryAfter("-5", NOW)).isZero();
    }

    @Test
    void hugeSecondsSaturateInsteadOfOverflowing() {
        assertThat(OtlpHttpSender.parseRetryAfter("9223372036854775807", NOW)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void garbageIsIgnored() {
        assertThat(OtlpHttpSender.parseRetryAfter("soon", NOW)).isEqualTo(-1);
        assertThat(OtlpHttpSender.parseRetryAfter("", NOW)).isEqualTo(-1);
        assertThat(OtlpHttpSender.parseRetryAfter("1.5", NOW)).isEqualTo(-1);
    }
}
