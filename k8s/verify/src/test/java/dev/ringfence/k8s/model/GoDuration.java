package dev.ringfence.k8s.model;

import java.math.BigInteger;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Go duration string ("72h", "1h30m", "250ms") in nanoseconds. */
final class GoDuration {
    private static final Pattern WHOLE = Pattern.compile("(\\d+(ns|us|ms|s|m|h))+");
    private static final Pattern PART = Pattern.compile("(\\d+)(ns|us|ms|s|m|h)");
    private static final Map<String, Long> NANOS = Map.of("ns", 1L, "us", 1_000L, "ms", 1_000_000L, "s", 1_000_000_000L,
            "m", 60_000_000_000L, "h", 3_600_000_000_000L);

    private GoDuration() {}

    static Optional<BigInteger> nanos(String text) {
        if (!WHOLE.matcher(text).matches()) {
            return Optional.empty();
        }
        BigInteger total = BigInteger.ZERO;
        Matcher part = PART.matcher(text);
        while (part.find()) {
            total = total.add(new BigInteger(part.group(1)).multiply(BigInteger.valueOf(NANOS.get(part.group(2)))));
        }
        return Optional.of(total);
    }
}
