package dev.ringfence.sensor.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AddressFormatsTest {
    @Test
    void ipv4IsADottedQuad() {
        assertThat(FlowDecoder.ip(new byte[] {10, (byte) 201, 7, 1})).isEqualTo("10.201.7.1");
    }

    @Test
    void ipv6FollowsRfc5952() {
        byte[] loopback = new byte[16];
        loopback[15] = 1;
        assertThat(FlowDecoder.ip(loopback)).isEqualTo("::1");
        assertThat(Rfc5952.compress("2001:db8:0:0:1:0:0:1")).isEqualTo("2001:db8::1:0:0:1");
        assertThat(Rfc5952.compress("fe80:0:0:0:0:0:0:0")).isEqualTo("fe80::");
        assertThat(Rfc5952.compress("2001:db8:0:1:1:1:1:1")).isEqualTo("2001:db8:0:1:1:1:1:1");
    }

    @Test
    void dnsQuestionNames() {
        assertThat(DnsQuestion.name(bytes("\u0009ringfence\u0007example\u0004test\u0000\u0000\u0001"))).isEqualTo("ringfence.example.test");
        assertThat(DnsQuestion.name(bytes("\u0000"))).isEqualTo(".");
        assertThat(DnsQuestion.name(new byte[0])).isNull();
        assertThat(DnsQuestion.name(bytes("\u0007exam"))).as("cut by the kernel's bound").isNull();
        assertThat(DnsQuestion.name(bytes("\u0003www\u0007exam"))).isEqualTo("www…");
        assertThat(DnsQuestion.name(new byte[] {(byte) 0xc0, 0x0c})).as("a compression pointer is not a name").isNull();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
