package dev.ringfence.sinks.write;

/** A record the sink will never write, and why: it goes to the dead-letter topic. */
public record Rejection(KafkaBytes origin, String reason) {}
