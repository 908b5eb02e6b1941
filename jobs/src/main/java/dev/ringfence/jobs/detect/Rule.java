package dev.ringfence.jobs.detect;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Every detection rule: its stable id, name and ATT&CK mapping. */
public enum Rule {
    SCAN("RF-SCAN-001", "Internal network scan", List.of("T1046"), List.of("Network Service Discovery"),
            List.of("discovery")),
    NEW_EDGE("RF-EDGE-001", "New east-west connection", List.of("T1021"), List.of("Remote Services"),
            List.of("lateral-movement")),
    REMOTE_EXEC("RF-CHAIN-001", "Remote execution across workloads", List.of("T1021", "T1059"),
            List.of("Remote Services", "Command and Scripting Interpreter"), List.of("lateral-movement", "execution")),
    EXFILTRATION("RF-EXFIL-001", "Data exfiltration", List.of("T1041", "T1048"),
            List.of("Exfiltration Over C2 Channel", "Exfiltration Over Alternative Protocol"), List.of("exfiltration")),
    UNEXPECTED_EXEC("RF-EXEC-001", "Unexpected process in workload", List.of("T1059.004"),
            List.of("Command and Scripting Interpreter: Unix Shell"), List.of("execution"));

    private final String id;
    private final String title;
    private final List<String> techniqueIds;
    private final List<String> techniqueNames;
    private final List<String> tactics;

    Rule(String id, String title, List<String> techniqueIds, List<String> techniqueNames, List<String> tactics) {
        this.id = id;
        this.title = title;
        this.techniqueIds = techniqueIds;
        this.techniqueNames = techniqueNames;
        this.tactics = tactics;
    }

    public String id() {
        return id;
    }

    public String title() {
        return title;
    }

    public List<String> techniqueIds() {
        return techniqueIds;
    }

    public List<String> techniqueNames() {
        return techniqueNames;
    }

    public List<String> tactics() {
        return tactics;
    }

    public static Rule byId(String id) {
        for (Rule rule : values()) {
            if (rule.id.equals(id)) {
                return rule;
            }
        }
        throw new IllegalArgumentException("unknown rule id '" + id + "', known: "
                + Arrays.stream(values()).map(Rule::id).collect(Collectors.joining(", ")));
    }
}
