package dev.ringfence.sensor.bpf;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** The running kernel's BTF (/sys/kernel/btf/vmlinux), asked whether it names a function. */
final class KernelBtf {
    private static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");
    private static final int CHUNK = 64 * 1024;

    private KernelBtf() {}

    /** Whether the BTF string table holds this exact name; streamed, so the sensor's small heap never holds the file. */
    static boolean names(String function) {
        byte[] wanted = ("\0" + function + "\0").getBytes(StandardCharsets.US_ASCII);
        int overlap = wanted.length - 1;
        byte[] window = new byte[CHUNK + overlap];
        try (InputStream in = Files.newInputStream(VMLINUX)) {
            int kept = 0;
            int read;
            while ((read = in.readNBytes(window, kept, CHUNK)) > 0) {
                int length = kept + read;
                if (contains(window, length, wanted)) {
                    return true;
                }
                kept = Math.min(overlap, length);
                System.arraycopy(window, length - kept, window, 0, kept);
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the kernel's BTF at " + VMLINUX, e);
        }
    }

    private static boolean contains(byte[] data, int length, byte[] wanted) {
        for (int i = 0; i + wanted.length <= length; i++) {
            if (data[i] == wanted[0] && Arrays.equals(data, i, i + wanted.length, wanted, 0, wanted.length)) {
                return true;
            }
        }
        return false;
    }
}
