package dev.ringfence.jobs.scenario;

import dev.ringfence.contract.Event;
import dev.ringfence.contract.IdentityUpdate;
import dev.ringfence.jobs.config.JobConfig;
import dev.ringfence.jobs.detect.chain.RemoteExecChainDetector;
import dev.ringfence.jobs.ingest.PerNodeWatermarks;
import dev.ringfence.jobs.lineage.LineageFunction;
import dev.ringfence.jobs.lineage.Observation;
import dev.ringfence.jobs.lineage.PeerHold;
import dev.ringfence.jobs.lineage.PeerJoinFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

/** Runs scripted events through the real operators in test harnesses, stage by stage, as the topology wires them. */
public final class Replay {
    private Replay() {}

    /** The events in event-time order, as sensors publish them, through the lineage operator. */
    public static List<Observation> lineage(JobConfig config, List<Event> events) throws Exception {
        try (var harness = lineageHarness(config)) {
            long timestamp = 0;
            for (Event event : EventScript.inTimeOrder(events)) {
                timestamp = PerNodeWatermarks.eventTimeMs(event);
                // wall clock in step with the script: flows held for a peer's identity are released in time
                harness.setProcessingTime(timestamp);
                feed(harness, event);
            }
            harness.setProcessingTime(timestamp + config.lineage.peerIdentityHoldMs + PeerHold.RECHECK_MS);
            return new ArrayList<>(harness.extractOutputValues());
        }
    }

    public static KeyedBroadcastOperatorTestHarness<String, Event, Event, Observation> lineageHarness(JobConfig config)
            throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(new LineageFunction(config.lineage),
                Event::getNode, Types.STRING, LineageFunction.IP_BINDINGS, LineageFunction.POD_IPS);
    }

    /** A fresh lineage operator restored from a snapshot of another: what a restart from a checkpoint does. */
    public static KeyedBroadcastOperatorTestHarness<String, Event, Event, Observation> restoredLineage(JobConfig config,
            OperatorSubtaskState snapshot) throws Exception {
        var harness = new KeyedBroadcastOperatorTestHarness<>(new CoBroadcastWithKeyedOperator<>(
                new LineageFunction(config.lineage), List.of(LineageFunction.IP_BINDINGS, LineageFunction.POD_IPS)),
                Event::getNode, Types.STRING, 1, 1, 0);
        harness.initializeState(snapshot);
        harness.open();
        return harness;
    }

    /** Identity updates go to the broadcast side, everything else to the node's key, as the topology wires them. */
    public static void feed(KeyedBroadcastOperatorTestHarness<String, Event, Event, Observation> harness, Event event)
            throws Exception {
        long timestamp = PerNodeWatermarks.eventTimeMs(event);
        if (event.getPayload() instanceof IdentityUpdate) {
            harness.processBroadcastElement(event, timestamp);
        } else {
            harness.processElement(event, timestamp);
        }
    }

    /** What the remote-exec detector reads: execs and accepts, and accepts joined with their connecting side. */
    public static List<Observation> chainInput(JobConfig config, List<Observation> observations) throws Exception {
        List<Observation> input = new ArrayList<>();
        try (var join = keyed(new PeerJoinFunction(config.lineage.connectionJoinTtlMs),
                PeerJoinFunction::connectionKey)) {
            int emitted = 0;
            for (Observation observation : observations) {
                input.add(observation);
                if (PeerJoinFunction.isInput(observation)) {
                    join.processElement(observation, observation.timeNs() / 1_000_000L);
                    List<Observation> out = join.extractOutputValues();
                    input.addAll(out.subList(emitted, out.size()));
                    emitted = out.size();
                }
            }
        }
        return input.stream().filter(RemoteExecChainDetector::isRelevant).toList();
    }

    public static <O> KeyedOneInputStreamOperatorTestHarness<String, Observation, O> keyed(
            KeyedProcessFunction<String, Observation, O> function, KeySelector<Observation, String> key)
            throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(function, key, Types.STRING);
    }

    /** A fresh operator restored from a snapshot of another: what a restart from a checkpoint does. */
    public static <O> KeyedOneInputStreamOperatorTestHarness<String, Observation, O> restored(
            KeyedProcessFunction<String, Observation, O> function, KeySelector<Observation, String> key,
            OperatorSubtaskState snapshot) throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(function), key,
                Types.STRING);
        harness.initializeState(snapshot);
        harness.open();
        return harness;
    }

    /** Feeds the observations the predicate selects; returns everything the function emitted. */
    public static <O> List<O> run(KeyedOneInputStreamOperatorTestHarness<String, Observation, O> harness,
            List<Observation> observations, Predicate<Observation> selected) throws Exception {
        for (Observation observation : observations) {
            if (selected.test(observation)) {
                harness.processElement(observation, observation.timeNs() / 1_000_000L);
            }
        }
        return new ArrayList<>(harness.extractOutputValues());
    }
}
