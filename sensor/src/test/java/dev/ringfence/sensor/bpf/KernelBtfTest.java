package dev.ringfence.sensor.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Against this machine's BTF (the build needs it anyway to generate vmlinux.h). */
class KernelBtfTest {
    @Test
    void findsAFunctionEveryKernelWithBtfHasAndNotAMadeUpOne() {
        assertThat(KernelBtf.names("do_sys_openat2")).isTrue();
        assertThat(KernelBtf.names("ringfence_no_such_function")).isFalse();
        assertThat(KernelBtf.names("do_sys_openat")).as("a prefix of a name is not the name").isFalse();
    }
}
