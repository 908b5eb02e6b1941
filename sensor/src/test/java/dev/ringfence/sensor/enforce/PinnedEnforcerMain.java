package dev.ringfence.sensor.enforce;

import dev.ringfence.sensor.enforce.net.Destination;
import java.nio.file.Path;

/**
 * A stand-in sensor in its own JVM for PinningIT: loads the enforcement programs pinned in
 * args[0], optionally blocks cgroup args[2] from args[3], says "ready" and runs until killed.
 */
public final class PinnedEnforcerMain {
    private PinnedEnforcerMain() {}

    public static void main(String[] args) throws InterruptedException {
        Enforcer enforcer = Enforcer.start(Path.of(args[1]), Path.of(args[0]), hit -> {});
        if (args.length > 3) {
            enforcer.connections().block(Long.parseLong(args[2]), Destination.of(args[3], 0, Destination.Protocol.ANY));
        }
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
