package dev.ringfence.sensor.enforce;

import dev.ringfence.feedback.link.SensorLink;
import dev.ringfence.feedback.link.SensorLinkConfig;
import dev.ringfence.feedback.rails.ProtectedSet;
import dev.ringfence.feedback.tls.TlsIdentity;
import dev.ringfence.sensor.FeedbackLink;
import dev.ringfence.sensor.enforce.net.ConnectionPolicy;
import dev.ringfence.sensor.enforce.net.Destination;
import dev.ringfence.sensor.identity.CgroupTree;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sensor's enforcement when a feedback service is configured: the kernel programs, the
 * decision applier, and the mTLS link that delivers this node's decisions and carries the acks.
 * The programs and maps are pinned, so decisions in force outlive this process (a crash, an upgrade);
 * a sensor that stops with none in force (by its own decisions and by the kernel's maps) removes the pins and leaves
 * nothing attached to the kernel.
 */
public final class Enforcement implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Enforcement.class);

    private final Enforcer enforcer;
    private final DecisionApplier applier;
    private final SensorLink link;
    private final Path pinDirectory;

    private Enforcement(Enforcer enforcer, DecisionApplier applier, SensorLink link, Path pinDirectory) {
        this.enforcer = enforcer;
        this.applier = applier;
        this.link = link;
        this.pinDirectory = pinDirectory;
    }

    public static Enforcement start(FeedbackLink feedback, List<Destination> isolationAllow, String node, Path runDirectory,
                                    CgroupTree cgroups, ExecStarts execStarts, Consumer<SpecificRecord> publish) {
        AtomicReference<DecisionApplier> applierRef = new AtomicReference<>();
        Path pinDirectory = Enforcer.pinDirectory(node);
        Enforcer enforcer = Enforcer.startPaused(runDirectory, pinDirectory, cgroups, hit -> {
            DecisionApplier applier = applierRef.get();
            if (applier != null) {
                applier.onHit(hit);
            }
        });
        try {
            DecisionApplier applier = new DecisionApplier(node, enforcer, ProtectedSet.defaults(), cgroups.root(), execStarts,
                    publish::accept, Clock.systemUTC(), runDirectory.resolve("decisions"));
            applierRef.set(applier);
            isolationAllow.forEach(enforcer.connections()::allowWhileIsolated);
            applier.restore();
            enforcer.startReporting();
            AtomicReference<SensorLink> linkRef = new AtomicReference<>();
            SensorLink link = SensorLink.create(new SensorLinkConfig(feedback.address(),
                            new TlsIdentity(feedback.certificate(), feedback.privateKey(), feedback.trustedCa())),
                    decision -> linkRef.get().ack(applier.apply(decision)));
            linkRef.set(link);
            link.start();
            return new Enforcement(enforcer, applier, link, pinDirectory);
        } catch (RuntimeException e) {
            enforcer.close();
            throw e;
        }
    }

    /** True once the link to the feedback service is up. */
    public boolean awaitConnected(Duration timeout) throws InterruptedException {
        return link.awaitConnected(timeout);
    }

    public DecisionApplier applier() {
        return applier;
    }

    /** The blocks and isolations in the kernel's maps, e.g. to see from outside the applier that a decision is in force. */
    public ConnectionPolicy connections() {
        return enforcer.connections();
    }

    @Override
    public void close() {
        link.close(); // no decision arrives after this
        int inForce = applier.activeDecisions().size();
        // the maps count too: a sensor for this node that took the pins over (a rolling update with surge) may have
        // applied decisions this one never saw
        int inKernel = enforcer.policiesInKernel();
        applier.close();
        enforcer.close();
        if (inForce == 0 && inKernel == 0) {
            Enforcer.removePins(pinDirectory);
            LOG.info("enforcement stopped: nothing in force, programs detached pins={}", pinDirectory);
        } else {
            LOG.info("enforcement stopped: decisions={} map_entries={} stay in force in the kernel for the next sensor pins={}",
                    inForce, inKernel, pinDirectory);
        }
    }
}
