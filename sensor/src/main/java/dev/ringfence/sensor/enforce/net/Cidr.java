package dev.ringfence.sensor.enforce.net;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * An IPv4 or IPv6 network as the kernel tries hold it: 16 address bytes (IPv4 as ::ffff:a.b.c.d)
 * and the prefix length over those 128 bits. Parsed from literals only: never a DNS lookup.
 */
public record Cidr(byte[] address, int prefixBits) {
    /** "10.0.0.0/8", "2001:db8::/32", or a single address ("10.0.0.1", "::1"). */
    public static Cidr parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty destination address");
        }
        int slash = text.indexOf('/');
        String literal = slash < 0 ? text.strip() : text.substring(0, slash).strip();
        InetAddress address;
        try {
            address = InetAddress.ofLiteral(literal);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an IP address: " + literal);
        }
        boolean v4 = address instanceof Inet4Address;
        int maxBits = v4 ? 32 : 128;
        int bits = maxBits;
        if (slash >= 0) {
            try {
                bits = Integer.parseInt(text.substring(slash + 1).strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in " + text);
            }
            if (bits < 0 || bits > maxBits) {
                throw new IllegalArgumentException("prefix length " + bits + " out of range 0.." + maxBits + " in " + text);
            }
        }
        byte[] bytes = new byte[16];
        if (v4) {
            bytes[10] = (byte) 0xff;
            bytes[11] = (byte) 0xff;
            System.arraycopy(address.getAddress(), 0, bytes, 12, 4);
            bits += 96;
        } else {
            System.arraycopy(address.getAddress(), 0, bytes, 0, 16);
        }
        return new Cidr(bytes, bits);
    }

    @Override
    public byte[] address() {
        return address.clone();
    }
}
