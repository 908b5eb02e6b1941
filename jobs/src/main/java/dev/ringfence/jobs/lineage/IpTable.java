package dev.ringfence.jobs.lineage;

import dev.ringfence.contract.IdentityChange;
import dev.ringfence.contract.IdentityUpdate;
import dev.ringfence.contract.WorkloadIdentity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The cluster-wide IP -> workload table with time validity: pod IPs are reused, so a flow resolves to the
 * workload that held the address at the flow's time, not to whoever holds it now.
 */
public final class IpTable {
    /** Bindings kept per IP: enough to resolve late flows across a few reuses. */
    static final int HISTORY = 8;

    /** Where the table lives (broadcast state in the job, a map in tests). */
    public interface Store {
        IpBinding[] bindings(String ip) throws Exception;

        void putBindings(String ip, IpBinding[] bindings) throws Exception;

        String[] podIps(String pod) throws Exception;

        void putPodIps(String pod, String[] ips) throws Exception;
    }

    private final Store store;
    private final long graceNs;

    public IpTable(Store store, long graceMs) {
        this.store = store;
        this.graceNs = graceMs * 1_000_000L;
    }

    public void apply(IdentityUpdate update, long timeNs) throws Exception {
        WorkloadIdentity workload = update.getWorkload();
        String pod = podKey(workload);
        Set<String> current = update.getChange() == IdentityChange.DELETE ? Set.of() : new HashSet<>(workload.getPodIps());
        String[] previous = store.podIps(pod);
        for (String ip : previous == null ? new String[0] : previous) {
            if (!current.contains(ip)) {
                release(ip, workload.getWorkloadKey(), timeNs);
            }
        }
        for (String ip : current) {
            bind(ip, workload, timeNs);
        }
        store.putPodIps(pod, current.toArray(String[]::new));
    }

    /** The workload holding {@code ip} at {@code timeNs}; a binding starting up to the grace later also counts. */
    public WorkloadIdentity resolve(String ip, long timeNs) throws Exception {
        IpBinding[] bindings = store.bindings(ip);
        if (bindings == null) {
            return null;
        }
        IpBinding upcoming = null;
        for (IpBinding binding : bindings) {
            if (binding.fromNs <= timeNs && timeNs < binding.toNs) {
                return binding.workload;
            }
            if (binding.fromNs > timeNs && binding.fromNs - timeNs <= graceNs
                    && (upcoming == null || binding.fromNs < upcoming.fromNs)) {
                upcoming = binding;
            }
        }
        return upcoming == null ? null : upcoming.workload;
    }

    private void bind(String ip, WorkloadIdentity workload, long timeNs) throws Exception {
        List<IpBinding> bindings = history(ip);
        IpBinding open = null;
        for (IpBinding binding : bindings) {
            if (binding.toNs == Long.MAX_VALUE) {
                open = binding;
            }
        }
        if (open != null && open.workload.getWorkloadKey().equals(workload.getWorkloadKey())) {
            open.workload = workload;
        } else {
            if (open != null) {
                open.toNs = Math.max(open.fromNs, timeNs);
            }
            bindings.add(new IpBinding(workload, timeNs));
        }
        save(ip, bindings);
    }

    private void release(String ip, String workloadKey, long timeNs) throws Exception {
        List<IpBinding> bindings = history(ip);
        for (IpBinding binding : bindings) {
            if (binding.toNs == Long.MAX_VALUE && binding.workload.getWorkloadKey().equals(workloadKey)) {
                binding.toNs = Math.max(binding.fromNs, timeNs);
            }
        }
        save(ip, bindings);
    }

    private List<IpBinding> history(String ip) throws Exception {
        IpBinding[] bindings = store.bindings(ip);
        return bindings == null ? new ArrayList<>() : new ArrayList<>(Arrays.asList(bindings));
    }

    private void save(String ip, List<IpBinding> bindings) throws Exception {
        bindings.sort((a, b) -> Long.compare(a.fromNs, b.fromNs));
        List<IpBinding> kept = bindings.subList(Math.max(0, bindings.size() - HISTORY), bindings.size());
        store.putBindings(ip, kept.toArray(IpBinding[]::new));
    }

    private static String podKey(WorkloadIdentity workload) {
        String pod = workload.getPodUid() != null ? workload.getPodUid()
                : workload.getPodName() != null ? workload.getPodName() : Long.toString(workload.getCgroupId());
        return workload.getNode() + "|" + workload.getWorkloadKey() + "|" + pod;
    }
}
