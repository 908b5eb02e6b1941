package dev.ringfence.jobs.lineage;

import java.io.Serializable;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/** The cluster's CIDRs: an address inside is east-west, outside is egress. Parses literals only (never DNS). */
public final class ClusterNetworks implements Serializable {
    private static final long serialVersionUID = 1L;

    private final List<byte[]> prefixes;
    private final List<Integer> lengths;

    private ClusterNetworks(List<byte[]> prefixes, List<Integer> lengths) {
        this.prefixes = prefixes;
        this.lengths = lengths;
    }

    public static ClusterNetworks of(List<String> cidrs) {
        List<byte[]> prefixes = new ArrayList<>();
        List<Integer> lengths = new ArrayList<>();
        for (String cidr : cidrs) {
            int slash = cidr == null ? -1 : cidr.indexOf('/');
            if (slash < 0) {
                throw new IllegalArgumentException("'" + cidr + "' is not a CIDR (ADDRESS/LENGTH)");
            }
            byte[] address = parse(cidr.substring(0, slash));
            int length;
            try {
                length = Integer.parseInt(cidr.substring(slash + 1));
            } catch (NumberFormatException e) {
                length = -1;
            }
            if (length < 0 || length > address.length * 8) {
                throw new IllegalArgumentException("'" + cidr + "' has a bad prefix length");
            }
            prefixes.add(address);
            lengths.add(length);
        }
        return new ClusterNetworks(prefixes, lengths);
    }

    public boolean contains(String ip) {
        byte[] address = parse(ip);
        for (int i = 0; i < prefixes.size(); i++) {
            if (matches(prefixes.get(i), lengths.get(i), address)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(byte[] prefix, int length, byte[] address) {
        if (prefix.length != address.length) {
            return false;
        }
        int fullBytes = length / 8;
        for (int i = 0; i < fullBytes; i++) {
            if (prefix[i] != address[i]) {
                return false;
            }
        }
        int rest = length % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (prefix[fullBytes] & mask) == (address[fullBytes] & mask);
    }

    /** The bytes of an IPv4 or IPv6 literal; IllegalArgumentException for anything else. */
    public static byte[] parse(String ip) {
        if (ip == null || ip.isEmpty()) {
            throw new IllegalArgumentException("empty IP address");
        }
        return InetAddress.ofLiteral(ip).getAddress();
    }

    public static boolean isIpLiteral(String ip) {
        try {
            parse(ip);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
