package dev.ringfence.embedded.elasticsearch;

import dev.ringfence.embedded.jvm.ParentWatch;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/** Runs in the node's JVM: ties the node's life to the parent's, then hands over to the node's main. */
public final class NodeMain {
    static final String NODE_MAIN_CLASS = "org.elasticsearch.node.EmbeddedNode";

    private NodeMain() {}

    public static void main(String[] args) throws Throwable {
        ParentWatch.exitWhenParentDies();
        // the node's classes are only on the child's class path, never on ours
        Class<?> node = Class.forName(NODE_MAIN_CLASS);
        MethodHandles.publicLookup()
                .findStatic(node, "main", MethodType.methodType(void.class, String[].class))
                .invokeExact(args);
    }
}
