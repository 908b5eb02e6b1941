package dev.ringfence.sensor.bpf;

/** A libbpf or kernel call failed; the message names the call, the object and the errno. */
public final class BpfException extends RuntimeException {
    private final int errno;

    BpfException(String message, int errno) {
        super(message + ": " + Libbpf.describe(errno));
        this.errno = Math.abs(errno);
    }

    BpfException(String message, Throwable cause) {
        super(message, cause);
        this.errno = 0;
    }

    public int errno() {
        return errno;
    }
}
