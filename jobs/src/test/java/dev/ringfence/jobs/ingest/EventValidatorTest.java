package dev.ringfence.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.contract.Event;
import dev.ringfence.contract.ProcessExec;
import dev.ringfence.jobs.scenario.ShopCluster;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventValidatorTest {
    private static Event exec(String execId, String parentExecId) {
        Event exec = new ShopCluster().startup().script.events().stream()
                .filter(e -> e.getPayload() instanceof ProcessExec).findFirst().orElseThrow();
        ProcessExec payload = (ProcessExec) exec.getPayload();
        String id = execId.replace("NODE", exec.getNode()).replace("PID", Integer.toString(payload.getPid()));
        return Event.newBuilder(exec).setPayload(ProcessExec.newBuilder(payload).setExecId(id)
                .setParentExecId(parentExecId.isEmpty() ? null : parentExecId).build()).build();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "NODE:PID:1000      | node-x:1:5   | ",
            "NODE:PID:1000      | ''           | ",
            "other-node:PID:1000| node-x:1:5   | exec_id",
            "NODE:PID0:1000     | node-x:1:5   | exec_id",
            "NODE:PID:x1000     | node-x:1:5   | exec_id",
            "NODE:PID           | node-x:1:5   | exec_id",
            "NODE:extra:PID:1000| node-x:1:5   | exec_id",
            "NODE:PID:1000      | node-x:1     | parent_exec_id",
            "NODE:PID:1000      | node-x::5    | parent_exec_id",
            "NODE:PID:1000      | :1:5         | parent_exec_id",
            "NODE:PID:          | node-x:1:5   | exec_id",
            "NODE:PID:1e3       | node-x:1:5   | exec_id",
    })
    void anExecIdIsTheNodeThePidAndTheStartTime(String execId, String parentExecId, String problemField) {
        String problem = EventValidator.problemWith(exec(execId.strip(), parentExecId.strip()));
        if (problemField == null) {
            assertThat(problem).isNull();
        } else {
            assertThat(problem).startsWith(problemField + " '");
        }
    }
}
