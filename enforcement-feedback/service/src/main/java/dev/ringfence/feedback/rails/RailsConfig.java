package dev.ringfence.feedback.rails;

/** Safety rails of the service: what is protected and how fast decisions may come. */
public record RailsConfig(ProtectedSet protectedSet, int perWorkloadPerMinute, int globalPerMinute) {
    public static final int DEFAULT_PER_WORKLOAD_PER_MINUTE = 10;
    public static final int DEFAULT_GLOBAL_PER_MINUTE = 120;

    public RailsConfig {
        if (protectedSet == null) {
            throw new IllegalArgumentException("rails need a protected set (ProtectedSet.defaults() at least)");
        }
        if (perWorkloadPerMinute < 1 || globalPerMinute < 1) {
            throw new IllegalArgumentException("rate limits must be at least 1 a minute, got per-workload "
                    + perWorkloadPerMinute + " and global " + globalPerMinute);
        }
    }

    public static RailsConfig defaults() {
        return new RailsConfig(ProtectedSet.defaults(), DEFAULT_PER_WORKLOAD_PER_MINUTE, DEFAULT_GLOBAL_PER_MINUTE);
    }
}
