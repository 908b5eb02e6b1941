package dev.ringfence.jobs;

import dev.ringfence.contract.Alert;
import dev.ringfence.contract.DeadLetter;
import dev.ringfence.contract.Decision;
import dev.ringfence.contract.Event;
import dev.ringfence.contract.IdentityUpdate;
import dev.ringfence.contract.ServiceEdge;
import dev.ringfence.contract.kafka.Topic;
import dev.ringfence.jobs.config.DetectorSettings;
import dev.ringfence.jobs.config.JobConfig;
import dev.ringfence.jobs.detect.chain.RemoteExecChainDetector;
import dev.ringfence.jobs.detect.edge.NewEdgeDetector;
import dev.ringfence.jobs.detect.exec.UnexpectedExecDetector;
import dev.ringfence.jobs.detect.exfil.ExfiltrationDetector;
import dev.ringfence.jobs.detect.scan.ScanDetector;
import dev.ringfence.jobs.graph.EdgeReport;
import dev.ringfence.jobs.graph.ServiceGraphFunction;
import dev.ringfence.jobs.ingest.DeadLetters;
import dev.ringfence.jobs.ingest.EventDecoder;
import dev.ringfence.jobs.ingest.PerNodeWatermarks;
import dev.ringfence.jobs.kafka.KafkaIo;
import dev.ringfence.jobs.lineage.LineageFunction;
import dev.ringfence.jobs.lineage.Observation;
import dev.ringfence.jobs.lineage.PeerJoinFunction;
import dev.ringfence.jobs.respond.DecisionMaker;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Wires sources, operators and sinks; all logic lives in the operators. */
public final class RingfenceTopology {
    private RingfenceTopology() {}

    public static void build(StreamExecutionEnvironment env, JobConfig config) {
        SingleOutputStreamOperator<Event> decoded = env
                .fromSource(KafkaIo.eventSource(config.kafka), WatermarkStrategy.noWatermarks(), "events")
                .uid("events-source")
                .process(new EventDecoder()).uid("decode").name("decode");
        decoded.getSideOutput(DeadLetters.TAG)
                .sinkTo(KafkaIo.sink(config.kafka, Topic.DEAD_LETTER, DeadLetter.class)).uid("dead-letter-sink")
                .name("dead-letters");
        DataStream<Event> events = decoded.assignTimestampsAndWatermarks(PerNodeWatermarks.strategy(
                config.pipeline.maxOutOfOrdernessMs, config.pipeline.nodeIdleMs)).uid("watermarks");

        var identities = events.filter(event -> event.getPayload() instanceof IdentityUpdate).name("identities")
                .broadcast(LineageFunction.IP_BINDINGS, LineageFunction.POD_IPS);
        DataStream<Observation> observations = events.keyBy(Event::getNode).connect(identities)
                .process(new LineageFunction(config.lineage), TypeInformation.of(Observation.class))
                .uid("lineage").name("lineage");

        observations.filter(ServiceGraphFunction::isEdge).name("edges")
                .map(EdgeReport::of).returns(EdgeReport.class).name("edge-reports")
                .keyBy(EdgeReport::edgeId)
                .process(new ServiceGraphFunction(config.lineage.edgeEmitIntervalMs)).uid("service-graph")
                .name("service-graph")
                .sinkTo(KafkaIo.sink(config.kafka, Topic.SERVICE_GRAPH, ServiceEdge.class)).uid("service-graph-sink")
                .name("service-graph-sink");

        DataStream<Alert> alerts = union(detectors(observations, config));
        alerts.sinkTo(KafkaIo.sink(config.kafka, Topic.ALERTS, Alert.class)).uid("alerts-sink").name("alerts-sink");
        alerts.keyBy(Alert::getAlertId)
                .process(new DecisionMaker(config.policy, config.jobName)).uid("respond").name("respond")
                .sinkTo(KafkaIo.sink(config.kafka, Topic.DECISIONS, Decision.class)).uid("decisions-sink")
                .name("decisions-sink");
    }

    private static List<DataStream<Alert>> detectors(DataStream<Observation> observations, JobConfig config) {
        DetectorSettings settings = config.detectors;
        List<DataStream<Alert>> alerts = new ArrayList<>();
        // the detectors keyed by workload share one shuffle, so an observation is serialized once for all of them;
        // the identity map only gives that shuffle an end from which each detector's input is forwarded, chained
        DataStream<Observation> byWorkload = observations.filter(RingfenceTopology::forWorkloadDetectors)
                .name("workload-detector-input")
                .keyBy(Observation::workloadKey)
                .map(observation -> observation).returns(Observation.class).uid("by-workload").name("by-workload");
        if (settings.scan.enabled) {
            alerts.add(byWorkload(byWorkload.filter(ScanDetector::isProbe).name("probes"))
                    .process(new ScanDetector(settings.scan)).uid("detect-scan").name("detect-scan"));
        }
        if (settings.newEdge.enabled) {
            alerts.add(byWorkload(byWorkload.filter(ServiceGraphFunction::isEdge).name("edges"))
                    .process(new NewEdgeDetector(settings.newEdge)).uid("detect-new-edge").name("detect-new-edge"));
        }
        if (settings.remoteExec.enabled) {
            DataStream<Observation> joined = observations.filter(PeerJoinFunction::isInput)
                    .name("east-west-connections")
                    .keyBy(PeerJoinFunction::connectionKey)
                    .process(new PeerJoinFunction(config.lineage.connectionJoinTtlMs)).uid("peer-join")
                    .name("peer-join")
                    .filter(RemoteExecChainDetector::isRelevant).name("joined-accepts");
            // execs and accepts straight from the lineage keep their node's order on one channel: a shell never
            // overtakes the connection before it; the joined accepts only add the connecting side later
            alerts.add(observations.filter(RemoteExecChainDetector::isRelevant).name("execs-and-accepts")
                    .union(joined)
                    .keyBy(Observation::node)
                    .process(new RemoteExecChainDetector(settings.remoteExec, settings.binaries))
                    .uid("detect-remote-exec").name("detect-remote-exec"));
        }
        if (settings.exfiltration.enabled) {
            alerts.add(byWorkload(byWorkload.filter(ExfiltrationDetector::isEgress).name("egress"))
                    .process(new ExfiltrationDetector(settings.exfiltration)).uid("detect-exfiltration")
                    .name("detect-exfiltration"));
        }
        if (settings.unexpectedExec.enabled) {
            alerts.add(byWorkload(byWorkload.filter(observation -> observation.exec() != null).name("execs"))
                    .process(new UnexpectedExecDetector(settings.unexpectedExec, settings.binaries))
                    .uid("detect-unexpected-exec").name("detect-unexpected-exec"));
        }
        return alerts;
    }

    private static boolean forWorkloadDetectors(Observation observation) {
        return observation.exec() != null || ScanDetector.isProbe(observation) || ServiceGraphFunction.isEdge(observation)
                || ExfiltrationDetector.isEgress(observation);
    }

    /** A stream forwarded from the workload shuffle, which is partitioned by workload already. */
    private static KeyedStream<Observation, String> byWorkload(DataStream<Observation> forwarded) {
        return DataStreamUtils.reinterpretAsKeyedStream(forwarded, Observation::workloadKey, Types.STRING);
    }

    private static DataStream<Alert> union(List<DataStream<Alert>> streams) {
        if (streams.isEmpty()) {
            throw new IllegalArgumentException("every detector is disabled: nothing to run");
        }
        DataStream<Alert> all = streams.getFirst();
        return streams.size() == 1 ? all : all.union(streams.subList(1, streams.size()).toArray(DataStream[]::new));
    }
}
