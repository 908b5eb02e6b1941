package dev.ringfence.sensor.enforce.net;

/** Where a workload may not (or, while isolated, may) connect: a network, a port (0: any), a protocol. */
public record Destination(Cidr network, int port, Protocol protocol) {
    public enum Protocol {
        ANY(0), TCP(6), UDP(17);

        final int number;

        Protocol(int number) {
            this.number = number;
        }
    }

    public Destination {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " out of range 0..65535");
        }
    }

    public static Destination of(String cidr, int port, Protocol protocol) {
        return new Destination(Cidr.parse(cidr), port, protocol);
    }
}
