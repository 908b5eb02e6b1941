package dev.ringfence.jobs;

import static org.assertj.core.api.Assertions.assertThatCode;

import dev.ringfence.jobs.detect.exfil.ByteWindow;
import dev.ringfence.jobs.detect.scan.ScanEpisode;
import dev.ringfence.jobs.graph.EdgeReport;
import dev.ringfence.jobs.ingest.RawRecord;
import dev.ringfence.jobs.lineage.IpBinding;
import dev.ringfence.jobs.lineage.Observation;
import dev.ringfence.jobs.lineage.TrackedProcess;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.junit.jupiter.api.Test;

/** Every type on the wire or in state has a Flink serializer of its own: no Kryo (pipeline.generic-types=false). */
class WireTypesTest {
    @Test
    void noTypeFallsBackToKryo() {
        SerializerConfigImpl noGenerics = new SerializerConfigImpl();
        noGenerics.setGenericTypes(false);
        for (Class<?> type : new Class<?>[] {Observation.class, Observation[].class, RawRecord.class,
                TrackedProcess.class, IpBinding[].class, ScanEpisode.class, ByteWindow.class, EdgeReport.class}) {
            assertThatCode(() -> TypeInformation.of(type).createSerializer(noGenerics))
                    .as(type.getSimpleName()).doesNotThrowAnyException();
        }
    }
}
