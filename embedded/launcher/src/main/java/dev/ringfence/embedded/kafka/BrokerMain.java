package dev.ringfence.embedded.kafka;

import dev.ringfence.embedded.jvm.ParentWatch;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/** Runs in the broker's JVM: ties the broker's life to the parent's, then hands over to kafka.Kafka. */
public final class BrokerMain {
    private BrokerMain() {}

    public static void main(String[] args) throws Throwable {
        ParentWatch.exitWhenParentDies();
        // kafka.Kafka is only on the child's class path, never on ours
        Class<?> kafka = Class.forName("kafka.Kafka");
        MethodHandles.publicLookup()
                .findStatic(kafka, "main", MethodType.methodType(void.class, String[].class))
                .invokeExact(args);
    }
}
