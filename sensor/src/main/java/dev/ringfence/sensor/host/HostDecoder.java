package dev.ringfence.sensor.host;

import dev.ringfence.contract.Capabilities;
import dev.ringfence.contract.Credentials;
import dev.ringfence.contract.FileAccess;
import dev.ringfence.contract.FileOperation;
import dev.ringfence.contract.KernelModuleLoad;
import dev.ringfence.contract.PrivilegeChange;
import dev.ringfence.contract.PrivilegeChangeKind;
import dev.ringfence.sensor.bpf.KernelRecord;
import dev.ringfence.sensor.bpf.KernelStructs;
import dev.ringfence.sensor.bpf.MalformedRecordException;
import dev.ringfence.sensor.capture.DecodeContext;
import dev.ringfence.sensor.capture.KernelHeader;
import dev.ringfence.sensor.process.ProcessDecoder;
import java.util.List;

/** rf_file, rf_priv and rf_module records into FileAccess, PrivilegeChange and KernelModuleLoad. */
public final class HostDecoder {
    private static final int O_ACCMODE = 3;
    private static final PrivilegeChangeKind[] KINDS = {PrivilegeChangeKind.SETUID, PrivilegeChangeKind.SETGID,
        PrivilegeChangeKind.SETREUID, PrivilegeChangeKind.SETREGID, PrivilegeChangeKind.SETRESUID,
        PrivilegeChangeKind.SETRESGID, PrivilegeChangeKind.SETFSUID, PrivilegeChangeKind.SETFSGID, PrivilegeChangeKind.CAPSET};

    private HostDecoder() {}

    public static FileAccess file(byte[] bytes, DecodeContext context) {
        KernelRecord record = KernelRecord.of(bytes, KernelStructs.FILE);
        KernelHeader header = KernelHeader.read(record, context.node());
        String path = record.string("path", 0, KernelStructs.FILE_PATH);
        int prefixLength = Math.min(record.i32("prefix_len"), path.length());
        int flags = record.i32("flags");
        return FileAccess.newBuilder()
                .setExecId(header.execId())
                .setPid(header.pid())
                .setBinary(binary(header, context))
                .setPath(path)
                .setMatchedPrefix(path.substring(0, Math.max(prefixLength, 0)))
                .setOperation(switch (flags & O_ACCMODE) {
                    case 0 -> FileOperation.READ;
                    case 1 -> FileOperation.WRITE;
                    default -> FileOperation.READ_WRITE;
                })
                .setFlags(flags)
                .setCgroupId(header.cgroupId())
                .setWorkload(context.workload(header.cgroupId()))
                .build();
    }

    public static PrivilegeChange privilege(byte[] bytes, DecodeContext context) {
        KernelRecord record = KernelRecord.of(bytes, KernelStructs.PRIV);
        KernelHeader header = KernelHeader.read(record, context.node());
        int kind = record.i32("kind");
        if (kind < 0 || kind >= KINDS.length) {
            throw new MalformedRecordException("unknown privilege change kind " + kind);
        }
        return PrivilegeChange.newBuilder()
                .setExecId(header.execId())
                .setPid(header.pid())
                .setBinary(binary(header, context))
                .setKind(KINDS[kind])
                .setBefore(new Credentials(record.i32("uid"), record.i32("euid"), record.i32("gid"), record.i32("egid")))
                .setArguments(List.of(record.i64At("args", 0), record.i64At("args", 1), record.i64At("args", 2)))
                .setResult(record.i32("result"))
                .setCapabilities(new Capabilities(record.i64("cap_effective"), record.i64("cap_permitted"),
                        record.i64("cap_inheritable")))
                .setCgroupId(header.cgroupId())
                .setWorkload(context.workload(header.cgroupId()))
                .build();
    }

    public static KernelModuleLoad module(byte[] bytes, DecodeContext context) {
        KernelRecord record = KernelRecord.of(bytes, KernelStructs.MODULE);
        KernelHeader header = KernelHeader.read(record, context.node());
        boolean finit = record.i32("syscall") == 1;
        int pathOffset = record.i32("path_off");
        return KernelModuleLoad.newBuilder()
                .setExecId(header.execId())
                .setPid(header.pid())
                .setBinary(binary(header, context))
                .setSyscall(finit ? "finit_module" : "init_module")
                .setModulePath(finit && pathOffset < KernelStructs.PATH_MAX ? ProcessDecoder.path(record, "path", pathOffset) : null)
                .setResult(record.i32("result"))
                .setCgroupId(header.cgroupId())
                .setWorkload(context.workload(header.cgroupId()))
                .build();
    }

    private static String binary(KernelHeader header, DecodeContext context) {
        return context.processes().binaryOf(header.pid(), header.execStartNs()).orElse(header.comm());
    }
}
