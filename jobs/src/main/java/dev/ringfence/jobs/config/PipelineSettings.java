package dev.ringfence.jobs.config;

import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Parallelism, latency, time and fault-tolerance settings of the job. */
public final class PipelineSettings implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final long EXACTLY_ONCE_CHECKPOINT_MS = 5_000;
    public static final long AT_LEAST_ONCE_CHECKPOINT_MS = 30_000;

    public int parallelism = 1;
    /** Network buffer flush interval: small, because containment waits on it. */
    public long bufferTimeoutMs = 1;
    /**
     * Null takes the default of the delivery mode. Exactly-once sinks commit at checkpoints, so there the interval is
     * how long an alert or decision waits to become visible: {@link #EXACTLY_ONCE_CHECKPOINT_MS}. At least once, records
     * are visible at once and a checkpoint only bounds what a restart replays, while each one snapshots the whole heap
     * state: {@link #AT_LEAST_ONCE_CHECKPOINT_MS} (see jobs/README.md, Benchmark, for what 5 s cost).
     */
    public Long checkpointIntervalMs;
    /** "hashmap" (heap) or "rocksdb" (large state, incremental checkpoints). */
    public String stateBackend = "hashmap";
    /** file:// or other Flink file system URI (s3://bucket/path...); null keeps checkpoints in the job manager (tests, demos). */
    public String checkpointDir;
    /** A retained checkpoint or savepoint to start from (its directory or _metadata file); null starts fresh. */
    public String restoreFrom;
    /** Event-time slack per node before an event counts as late. */
    public long maxOutOfOrdernessMs = 2_000;
    /** A node silent this long no longer holds back the watermark. */
    public long nodeIdleMs = 1_000;

    void validate() {
        Check.positive("pipeline.parallelism", parallelism);
        Check.atLeast("pipeline.bufferTimeoutMs", bufferTimeoutMs, 0);
        if (checkpointIntervalMs != null) {
            Check.positive("pipeline.checkpointIntervalMs", checkpointIntervalMs);
        }
        KafkaSettings.oneOf("pipeline.stateBackend", stateBackend, Set.of("hashmap", "rocksdb"));
        Check.atLeast("pipeline.maxOutOfOrdernessMs", maxOutOfOrdernessMs, 0);
        Check.positive("pipeline.nodeIdleMs", nodeIdleMs);
        if (checkpointDir != null) {
            checkpointDir = checkpointUri("pipeline.checkpointDir", checkpointDir, false);
        }
    }

    /** The configured checkpoint interval, or the default of the delivery mode when none is set. */
    public long checkpointIntervalMs(boolean exactlyOnce) {
        if (checkpointIntervalMs != null) {
            return checkpointIntervalMs;
        }
        return exactlyOnce ? EXACTLY_ONCE_CHECKPOINT_MS : AT_LEAST_ONCE_CHECKPOINT_MS;
    }

    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:.*");

    /**
     * A checkpoint location as a Flink file system URI. {@code s3://bucket/path} (any scheme with an authority, the
     * bucket or namenode) and {@code file:///absolute/path} are taken as they are; with {@code pathsAllowed}, a
     * plain path (command line) becomes the absolute {@code file:} URI of that path. Refused: URIs that do not parse,
     * remote schemes without an authority ({@code s3:///x}, {@code s3:x}), relative or remote {@code file:} URIs,
     * query strings and fragments. Which schemes work is up to the Flink file system plugins installed.
     */
    public static String checkpointUri(String key, String value, boolean pathsAllowed) {
        if (value == null || value.isBlank()) {
            throw new InvalidConfigException(key + " must not be empty");
        }
        String text = value.trim();
        if (!SCHEME.matcher(text).matches() || text.matches("[A-Za-z]:\\\\.*")) {
            if (!pathsAllowed) {
                throw new InvalidConfigException(key + " must be a file system URI (file:///path, s3://bucket/path), got '" + value + "'");
            }
            try {
                return Path.of(text).toAbsolutePath().normalize().toUri().toString();
            } catch (InvalidPathException e) {
                throw new InvalidConfigException(key + ": '" + value + "' is not a path: " + e.getMessage());
            }
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new InvalidConfigException(key + ": '" + value + "' is not a URI: " + e.getMessage());
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new InvalidConfigException(key + ": '" + value + "' must not have a query or fragment");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("file")) {
            if (uri.isOpaque() || uri.getPath() == null || !uri.getPath().startsWith("/")) {
                throw new InvalidConfigException(key + ": '" + value + "' must be an absolute file URI (file:///path)");
            }
            if (uri.getAuthority() != null && !uri.getAuthority().equals("localhost")) {
                throw new InvalidConfigException(key + ": '" + value + "' names host '" + uri.getAuthority()
                        + "'; a file: URI is local (file:///path)");
            }
            return uri.toString();
        }
        if (uri.isOpaque() || uri.getAuthority() == null || uri.getAuthority().isBlank()) {
            throw new InvalidConfigException(key + ": '" + value + "' needs a bucket or host (" + scheme + "://BUCKET/path)");
        }
        return uri.toString();
    }
}
