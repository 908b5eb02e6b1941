package dev.ringfence.sensor.output;

import dev.ringfence.contract.EnforcementAction;
import dev.ringfence.contract.Event;
import dev.ringfence.contract.FileAccess;
import dev.ringfence.contract.IdentityUpdate;
import dev.ringfence.contract.KernelModuleLoad;
import dev.ringfence.contract.NetworkFlow;
import dev.ringfence.contract.PrivilegeChange;
import dev.ringfence.contract.ProcessExec;
import dev.ringfence.contract.ProcessExit;
import dev.ringfence.contract.ProcessFork;
import dev.ringfence.contract.SensorHealth;
import dev.ringfence.contract.WorkloadIdentity;

/** One readable line per event: icon, workload, binary, then arguments, endpoints or exit status. */
public final class CompactLines {
    private CompactLines() {}

    public static String format(Event event) {
        return switch (event.getPayload()) {
            case ProcessExec exec -> line("🚀 exec   ", exec.getWorkload(), exec.getBinary(),
                    String.join(" ", exec.getArgv().stream().skip(1).toList())
                            + (exec.getArgvTruncated() ? " …" : "") + (exec.getFromSnapshot() ? " (running at start)" : ""));
            case ProcessFork fork -> line("🔀 fork   ", fork.getWorkload(), fork.getBinary(), "pid " + fork.getPid());
            case ProcessExit exit -> line("💥 exit   ", exit.getWorkload(), "pid " + exit.getPid(),
                    exit.getSignal() != 0 ? "signal " + exit.getSignal() + (exit.getCoreDumped() ? " (core dumped)" : "")
                            : "code " + exit.getExitCode());
            case NetworkFlow flow -> line("🔌 " + flow.getTransport().name().toLowerCase() + "    ", flow.getWorkload(),
                    flow.getBinary() == null ? "?" : flow.getBinary(),
                    flow.getLocal().getIp() + ":" + flow.getLocal().getPort()
                            + (flow.getDirection().name().equals("INBOUND") ? " <- " : " -> ")
                            + flow.getRemote().getIp() + ":" + flow.getRemote().getPort()
                            + " tx " + flow.getBytesSent() + "B rx " + flow.getBytesReceived() + "B " + flow.getEnd()
                            + (flow.getDnsQuery() == null ? "" : " dns " + flow.getDnsQuery()));
            case FileAccess file -> line("📂 open   ", file.getWorkload(), file.getBinary(),
                    file.getPath() + " " + file.getOperation());
            case PrivilegeChange change -> line("🔑 " + change.getKind().name().toLowerCase(), change.getWorkload(),
                    change.getBinary(), change.getArguments() + " -> " + change.getResult());
            case KernelModuleLoad module -> line("🧩 module ", module.getWorkload(), module.getBinary(),
                    module.getSyscall() + " " + (module.getModulePath() == null ? "" : module.getModulePath())
                            + " -> " + module.getResult());
            case IdentityUpdate update -> line("🪪 " + update.getChange().name().toLowerCase() + " ", update.getWorkload(),
                    update.getWorkload().getWorkloadKind(), update.getWorkload().getLabels().toString());
            case EnforcementAction action -> "⛔ " + action.getKind().name().toLowerCase() + " "
                    + (action.getWorkload() == null ? "cgroup " + action.getCgroupId() : action.getWorkload().getWorkloadKey())
                    + " " + action.getAction() + " " + (action.getBinary() == null ? "" : action.getBinary() + " ")
                    + (action.getDestination() == null ? "" : action.getDestination().getIp() + ":" + action.getDestination().getPort() + " ")
                    + action.getReason() + (action.getDryRun() ? " (dry run)" : "");
            case SensorHealth health -> "❤️ health  " + health.getNode() + " events " + health.getEventsByType()
                    + " kernel_lost " + health.getKernelLostByType() + " throttled " + health.getThrottledEvents()
                    + " user_lost " + health.getUserLost();
            default -> "❔ " + event.getPayload().getClass().getSimpleName();
        };
    }

    private static String line(String icon, WorkloadIdentity workload, String subject, String detail) {
        return icon + " " + workload.getWorkloadKey() + " " + subject + " " + detail;
    }
}
