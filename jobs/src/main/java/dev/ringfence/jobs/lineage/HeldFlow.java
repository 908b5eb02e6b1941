package dev.ringfence.jobs.lineage;

/** A flow report waiting for its peer's identity, until a wall-clock deadline. */
public final class HeldFlow {
    public Observation observation;
    public long releaseByMs;

    public HeldFlow() {}

    HeldFlow(Observation observation, long releaseByMs) {
        this.observation = observation;
        this.releaseByMs = releaseByMs;
    }
}
