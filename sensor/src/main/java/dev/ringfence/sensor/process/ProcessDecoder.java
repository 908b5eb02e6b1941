package dev.ringfence.sensor.process;

import dev.ringfence.contract.Capabilities;
import dev.ringfence.contract.ProcessExec;
import dev.ringfence.contract.ProcessExit;
import dev.ringfence.contract.ProcessFork;
import dev.ringfence.sensor.bpf.KernelRecord;
import dev.ringfence.sensor.bpf.KernelStructs;
import dev.ringfence.sensor.capture.DecodeContext;
import dev.ringfence.sensor.capture.KernelHeader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** rf_exec, rf_fork and rf_exit records into the contract's process records. */
public final class ProcessDecoder {
    private ProcessDecoder() {}

    public static ProcessExec exec(byte[] bytes, DecodeContext context) {
        KernelRecord record = KernelRecord.of(bytes, KernelStructs.EXEC);
        KernelHeader header = KernelHeader.read(record, context.node());
        String binary = path(record, "binary", record.i32("binary_off"));
        int argsLength = Math.min(record.i32("args_len"), KernelStructs.ARGS_MAX);
        context.processes().remember(header.pid(), header.execStartNs(), binary);
        return ProcessExec.newBuilder()
                .setExecId(header.execId())
                .setParentExecId(header.parentExecId())
                .setPid(header.pid())
                .setTid(header.tid())
                .setPpid(header.ppid())
                .setStartNs(header.execStartNs())
                .setBinary(binary)
                .setArgv(argv(record.bytes("args", 0, Math.max(argsLength, 0))))
                .setArgvTruncated((record.i32("flags") & KernelStructs.EXEC_ARGS_TRUNCATED) != 0)
                .setCwd(path(record, "cwd", record.i32("cwd_off")))
                .setUid(record.i32("uid"))
                .setEuid(record.i32("euid"))
                .setGid(record.i32("gid"))
                .setEgid(record.i32("egid"))
                .setCapabilities(new Capabilities(record.i64("cap_effective"), record.i64("cap_permitted"),
                        record.i64("cap_inheritable")))
                .setCgroupId(header.cgroupId())
                .setExeInode(record.i64("exe_inode"))
                .setExeDev(record.i64("exe_dev"))
                .setFromSnapshot(false)
                .setWorkload(context.workload(header.cgroupId()))
                .build();
    }

    public static ProcessFork fork(byte[] bytes, DecodeContext context) {
        KernelHeader header = KernelHeader.read(KernelRecord.of(bytes, KernelStructs.FORK), context.node());
        String binary = context.processes().binaryOf(header.parentPid(), header.parentStartNs()).orElse(header.comm());
        context.processes().remember(header.pid(), header.execStartNs(), binary);
        return ProcessFork.newBuilder()
                .setExecId(header.execId())
                .setParentExecId(header.parentExecId() == null ? "" : header.parentExecId())
                .setPid(header.pid())
                .setPpid(header.ppid())
                .setStartNs(header.execStartNs())
                .setBinary(binary)
                .setCgroupId(header.cgroupId())
                .setWorkload(context.workload(header.cgroupId()))
                .build();
    }

    public static ProcessExit exit(byte[] bytes, DecodeContext context) {
        KernelRecord record = KernelRecord.of(bytes, KernelStructs.EXIT);
        KernelHeader header = KernelHeader.read(record, context.node());
        int status = record.i32("status");
        return ProcessExit.newBuilder()
                .setExecId(header.execId())
                .setPid(header.pid())
                .setExitCode((status >> 8) & 0xff)
                .setSignal(status & 0x7f)
                .setCoreDumped((status & 0x80) != 0)
                .setStartNs(header.execStartNs())
                .setCgroupId(header.cgroupId())
                .setWorkload(context.workload(header.cgroupId()))
                .build();
    }

    /** A path the kernel wrote backwards into a field: it spans [offset, PATH_MAX). */
    public static String path(KernelRecord record, String field, int offset) {
        if (offset < 0 || offset >= KernelStructs.PATH_MAX) {
            return "";
        }
        return record.string(field, offset, KernelStructs.PATH_MAX);
    }

    /** NUL-separated argv; a last argument cut by the kernel's bound is kept as far as it goes. */
    static List<String> argv(byte[] args) {
        List<String> argv = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < args.length; i++) {
            if (args[i] == 0) {
                argv.add(new String(args, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start < args.length) {
            argv.add(new String(args, start, args.length - start, StandardCharsets.UTF_8));
        }
        return argv;
    }
}
