package dev.ringfence.feedback.route;

/** A connected sensor's stream as the router sees it. Called from the decision loop only. */
public interface SensorChannel {
    /** The node named by the sensor's certificate. */
    String node();

    void welcome(int redelivering);

    void send(byte[] decision);

    /** Ends the stream, e.g. when a newer link for the same node replaces it. */
    void supersede();
}
