package dev.ringfence.sensor.capture;

import dev.ringfence.sensor.bpf.KernelRecord;
import dev.ringfence.sensor.bpf.KernelStructs;
import dev.ringfence.sensor.process.ExecIds;

/**
 * struct rf_header, with the exec ids it implies. parentPid is 0 and parentExecId null when the parent is unknown;
 * (parentPid, parentStartNs) are the numbers of parentExecId as (pid, execStartNs) are those of execId.
 */
public record KernelHeader(int type, int pid, int tid, int ppid, long timeBootNs, long cgroupId, long execStartNs,
                           String execId, int parentPid, long parentStartNs, String parentExecId, String comm) {

    public static KernelHeader read(KernelRecord record, String node) {
        KernelRecord h = record.nested("h", KernelStructs.HEADER);
        int pid = h.i32("pid");
        long start = h.i64("exec_start_ns");
        int parentPid = h.i32("parent_pid");
        long parentStart = parentPid == 0 ? 0 : h.i64("parent_start_ns");
        return new KernelHeader(h.i32("type"), pid, h.i32("tid"), h.i32("ppid"), h.i64("time_ns"), h.i64("cgroup_id"),
                start, ExecIds.of(node, pid, start), parentPid, parentStart,
                parentPid == 0 ? null : ExecIds.of(node, parentPid, parentStart),
                h.string("comm", 0, KernelStructs.COMM_LEN));
    }
}
