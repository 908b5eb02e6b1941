package dev.ringfence.jobs.config;

import dev.ringfence.jobs.detect.BinaryClasses;
import dev.ringfence.jobs.detect.chain.ChainSettings;
import dev.ringfence.jobs.detect.edge.EdgeSettings;
import dev.ringfence.jobs.detect.exec.ExecSettings;
import dev.ringfence.jobs.detect.exfil.ExfilSettings;
import dev.ringfence.jobs.detect.scan.ScanSettings;
import java.io.Serializable;

/** Thresholds of every detector. */
public final class DetectorSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    public BinaryClasses binaries = new BinaryClasses();
    public ScanSettings scan = new ScanSettings();
    public EdgeSettings newEdge = new EdgeSettings();
    public ChainSettings remoteExec = new ChainSettings();
    public ExfilSettings exfiltration = new ExfilSettings();
    public ExecSettings unexpectedExec = new ExecSettings();

    void validate() {
        Check.present("detectors.binaries", binaries);
        Check.present("detectors.scan", scan);
        Check.present("detectors.newEdge", newEdge);
        Check.present("detectors.remoteExec", remoteExec);
        Check.present("detectors.exfiltration", exfiltration);
        Check.present("detectors.unexpectedExec", unexpectedExec);
        binaries.validate();
        scan.validate();
        newEdge.validate();
        remoteExec.validate();
        exfiltration.validate();
        unexpectedExec.validate();
    }
}
