package dev.ringfence.allinone.demo;

import dev.ringfence.contract.Alert;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which alerts a scenario run raised: the revisions that arrived within its window, of alerts that are new in it or that
 * an earlier scenario run raised (a shell run again revises the same alert). An alert first raised outside every
 * scenario is benign traffic's: its revisions never count for a scenario, so the benign count cannot hide it.
 */
final class ScenarioAlerts {
    private final Set<String> claimed = new HashSet<>();

    /** What one run raised, between {@code startedMs} and {@code endedMs}; its alerts are claimed for later runs. */
    Raised attribute(List<DemoRecorder.Seen<Alert>> seen, long startedMs, long endedMs) {
        Set<String> before = new HashSet<>();
        for (var revision : seen) {
            if (revision.receivedMs() < startedMs) {
                before.add(revision.record().getAlertId());
            }
        }
        Set<String> rules = new LinkedHashSet<>();
        Set<String> ids = new LinkedHashSet<>();
        Set<String> storyline = new LinkedHashSet<>();
        for (var revision : seen) {
            Alert alert = revision.record();
            boolean inWindow = revision.receivedMs() >= startedMs && revision.receivedMs() <= endedMs;
            if (inWindow && (!before.contains(alert.getAlertId()) || claimed.contains(alert.getAlertId()))) {
                rules.add(alert.getRuleId());
                ids.add(alert.getAlertId());
                if (alert.getRuleId().equals("RF-CHAIN-001")) {
                    storyline.addAll(DemoRecorder.storylineWorkloads(alert));
                }
            }
        }
        claimed.addAll(ids);
        return new Raised(List.copyOf(rules), List.copyOf(ids), List.copyOf(storyline));
    }

    record Raised(List<String> ruleIds, List<String> alertIds, List<String> storyline) {}
}
