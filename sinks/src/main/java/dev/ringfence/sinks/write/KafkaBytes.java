package dev.ringfence.sinks.write;

/**
 * One Kafka record as read, undecoded: decoding happens in the sink, so a record that cannot be decoded
 * still reaches the dead-letter topic with its coordinates and bytes. A Flink POJO (no generic types).
 */
public class KafkaBytes {
    public String topic;
    public int partition;
    public long offset;
    public byte[] key;
    public byte[] value;

    public KafkaBytes() {}

    public KafkaBytes(String topic, int partition, long offset, byte[] key, byte[] value) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.key = key;
        this.value = value;
    }

    @Override
    public String toString() {
        return topic + "/" + partition + "@" + offset;
    }
}
