package dev.ringfence.sensor.process;

import dev.ringfence.contract.Capabilities;
import dev.ringfence.contract.ProcessExec;
import dev.ringfence.sensor.bpf.BpfMap;
import dev.ringfence.sensor.bpf.KernelStructs;
import dev.ringfence.sensor.capture.DecodeContext;
import dev.ringfence.sensor.identity.CgroupTree;
import dev.ringfence.sensor.kernel.ProcessDirectories;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The start-up walk of /proc: processes that started before the sensor get an exec id (from their
 * start time, rounded to 1/100 s exactly as the kernel side rounds it for processes it never saw
 * start) and an entry in the kernel's process table, so their children's lineage is complete.
 */
public final class ProcessSnapshot {
    private static final long NANOS_PER_TICK = 10_000_000L; // USER_HZ is 100 on Linux

    private final Path proc;
    private final CgroupTree cgroups;
    private final BpfMap kernelTable;

    public ProcessSnapshot(Path proc, CgroupTree cgroups, BpfMap kernelTable) {
        this.proc = proc;
        this.cgroups = cgroups;
        this.kernelTable = kernelTable;
    }

    /** Every process gets its kernel table entry; records are made for those in cgroups (paths) the filter accepts. */
    public List<ProcessExec> walk(DecodeContext context, Predicate<String> watchedCgroup) throws IOException {
        List<ProcessExec> processes = new ArrayList<>();
        for (Path directory : ProcessDirectories.of(proc)) {
            read(directory, context, watchedCgroup).ifPresent(processes::add);
        }
        return processes;
    }

    private Optional<ProcessExec> read(Path directory, DecodeContext context, Predicate<String> watchedCgroup) {
        try {
            int pid = Integer.parseInt(directory.getFileName().toString());
            Path exe = directory.resolve("exe");
            if (!Files.isSymbolicLink(exe)) {
                return Optional.empty();
            }
            String binary = Files.readSymbolicLink(exe).toString();
            String[] stat = statFields(directory);
            int ppid = Integer.parseInt(stat[1]);
            long start = Long.parseLong(stat[19]) * NANOS_PER_TICK;
            long parentStart = ppid == 0 ? 0 : startOf(proc.resolve(Integer.toString(ppid)));
            long[] entry = adoptKernelEntry(pid, start, ppid, parentStart);
            start = entry[0];
            parentStart = entry[1];
            String cgroupPath = cgroupPath(directory);
            if (!watchedCgroup.test(cgroupPath)) {
                return Optional.empty();
            }
            long cgroupId = CgroupTree.idOf(cgroups.directoryOf(cgroupPath));
            cgroups.remember(cgroupId, cgroupPath);
            List<String> status = Files.readAllLines(directory.resolve("status"));
            String[] uids = field(status, "Uid:");
            String[] gids = field(status, "Gid:");
            String execId = ExecIds.of(context.node(), pid, start);
            context.processes().remember(pid, start, binary);
            return Optional.of(ProcessExec.newBuilder()
                    .setExecId(execId)
                    .setParentExecId(ppid == 0 ? null : ExecIds.of(context.node(), ppid, parentStart))
                    .setPid(pid).setTid(pid).setPpid(ppid)
                    .setStartNs(start)
                    .setBinary(binary)
                    .setArgv(ProcessDecoder.argv(Files.readAllBytes(directory.resolve("cmdline"))))
                    .setArgvTruncated(false)
                    .setCwd(Files.readSymbolicLink(directory.resolve("cwd")).toString())
                    .setUid(Integer.parseInt(uids[0])).setEuid(Integer.parseInt(uids[1]))
                    .setGid(Integer.parseInt(gids[0])).setEgid(Integer.parseInt(gids[1]))
                    .setCapabilities(new Capabilities(hex(status, "CapEff:"), hex(status, "CapPrm:"), hex(status, "CapInh:")))
                    .setCgroupId(cgroupId)
                    .setExeInode(attribute(exe, "unix:ino"))
                    .setExeDev(attribute(exe, "unix:dev"))
                    .setFromSnapshot(true)
                    .setWorkload(context.workload(cgroupId))
                    .build());
        } catch (IOException | RuntimeException exitedMeanwhile) {
            return Optional.empty(); // the process exited during the walk (its files vanish)
        }
    }

    /** Inserts the entry unless the kernel already has one (it saw the process first): then uses the kernel's. */
    private long[] adoptKernelEntry(int pid, long start, int ppid, long parentStart) {
        ByteBuffer value = ByteBuffer.allocate((int) KernelStructs.PROC.byteSize()).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(start).putLong(parentStart).putInt(ppid).putInt(KernelStructs.PROC_EXECED);
        if (kernelTable.update(BpfMap.intKey(pid), value.array(), BpfMap.NOEXIST)) {
            return new long[] {start, parentStart};
        }
        return kernelTable.lookup(BpfMap.intKey(pid))
                .map(bytes -> ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN))
                .map(existing -> new long[] {existing.getLong(0), existing.getLong(8)})
                .orElse(new long[] {start, parentStart});
    }

    private long startOf(Path directory) {
        try {
            return Long.parseLong(statFields(directory)[19]) * NANOS_PER_TICK;
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    /** Fields of /proc/<pid>/stat after "(comm)", so field 0 is the state; comm may contain spaces. */
    private static String[] statFields(Path directory) throws IOException {
        String stat = Files.readString(directory.resolve("stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }

    /** The cgroup v2 path ("0::/path" line of /proc/<pid>/cgroup). */
    private static String cgroupPath(Path directory) throws IOException {
        for (String line : Files.readAllLines(directory.resolve("cgroup"))) {
            if (line.startsWith("0::")) {
                return line.substring(3);
            }
        }
        throw new IOException("no cgroup v2 line in " + directory.resolve("cgroup"));
    }

    private static String[] field(List<String> status, String name) {
        return status.stream().filter(line -> line.startsWith(name)).findFirst()
                .map(line -> line.substring(name.length()).strip().split("\\s+"))
                .orElseThrow(() -> new IllegalStateException("no " + name + " in status"));
    }

    private static long hex(List<String> status, String name) {
        return Long.parseUnsignedLong(field(status, name)[0], 16);
    }

    private static long attribute(Path exe, String name) throws IOException {
        return ((Number) Files.getAttribute(exe, name)).longValue();
    }
}
