package dev.ringfence.sensor.enforce;

/** A decision the sensor will not apply; the message is the reason acked to the service. */
final class Refused extends RuntimeException {
    Refused(String reason) {
        super(reason, null, false, false);
    }
}
