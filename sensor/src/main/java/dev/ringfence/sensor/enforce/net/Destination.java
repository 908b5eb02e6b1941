package dev.ringfence.sensor.enforce.net;

/** Where a workload may not (or, while isolated, may) connect: a network, a port (0: any), a protocol. */
public record Destination(Cidr network, int port, Protocol protocol) {
    public enum Protocol {
        ANY(0), TCP(6), UDP(17);

        /** The IPPROTO_* number the kernel uses (0: any). */
        public final int number;

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

    /** "CIDR", "PROTO@CIDR" or "PROTO/PORT@CIDR", PROTO tcp, udp or any: e.g. "udp/53@10.96.0.10", "tcp/443@fd00::/64". */
    public static Destination parse(String spec) {
        String text = spec.strip();
        int at = text.indexOf('@');
        if (at < 0) {
            return of(text, 0, Protocol.ANY);
        }
        String[] service = text.substring(0, at).split("/", -1);
        Protocol protocol;
        try {
            protocol = Protocol.valueOf(service[0].toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("protocol must be tcp, udp or any in '" + spec + "'");
        }
        int port = 0;
        if (service.length == 2) {
            try {
                port = Integer.parseInt(service[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad port in '" + spec + "'");
            }
        } else if (service.length > 2) {
            throw new IllegalArgumentException("expected PROTO/PORT@CIDR, got '" + spec + "'");
        }
        return of(text.substring(at + 1), port, protocol);
    }
}
