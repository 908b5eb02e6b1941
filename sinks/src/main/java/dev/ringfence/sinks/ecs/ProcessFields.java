package dev.ringfence.sinks.ecs;

import dev.ringfence.contract.ProcessRef;

/** A process reference as ECS {@code process.*} fields (entity id, pid, executable, name, args). */
final class ProcessFields {
    private ProcessFields() {}

    /** Under {@code prefix}, e.g. {@code process} or {@code process.parent}. */
    static void put(EcsDocument document, String prefix, ProcessRef process) {
        if (process != null) {
            putFields(document, prefix + ".", process);
        }
    }

    /** A process as a document of its own, for lists such as the ancestry. */
    static EcsDocument element(ProcessRef process) {
        EcsDocument element = new EcsDocument();
        putFields(element, "", process);
        return element.put("parent_entity_id", process.getParentExecId());
    }

    private static void putFields(EcsDocument document, String prefix, ProcessRef process) {
        document.put(prefix + "entity_id", process.getExecId())
                .put(prefix + "pid", (long) process.getPid())
                .put(prefix + "executable", process.getBinary())
                .put(prefix + "name", baseName(process.getBinary()))
                .put(prefix + "args", process.getArgv())
                .put(prefix + "args_count", (long) process.getArgv().size());
    }

    private static String baseName(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }
}
