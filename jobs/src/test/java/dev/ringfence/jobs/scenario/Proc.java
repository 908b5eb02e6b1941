package dev.ringfence.jobs.scenario;

/** A process image the script started: its exec id, pid and pod. */
public record Proc(String execId, int pid, String binary, Pod pod) {}
