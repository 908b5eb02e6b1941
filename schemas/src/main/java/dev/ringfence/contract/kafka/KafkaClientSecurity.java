package dev.ringfence.contract.kafka;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * Kafka client security settings every Ringfence component takes the same way: a Java properties file
 * ({@code --kafka-config FILE}) whose entries are passed to every producer, consumer and admin client the
 * component makes. Only security settings are accepted: {@code security.protocol}, the clients' {@code ssl.*}
 * and {@code sasl.*} settings, and Kafka's config providers ({@code config.providers}, {@code
 * config.providers.<name>.class|param.*}) so that secrets such as a keystore password are read from a mounted
 * file ({@code ${dir:/path/to/dir:file}}) rather than written into the file. Everything else a client accepts
 * (bootstrap servers, group and transactional ids, serializers, acks...) is the component's own and refused
 * here, as are unknown keys (typos). Files the settings name (keystores, truststores, provider files) must
 * exist and be readable when the file is loaded, so a missing mount fails at start with the key that names it.
 *
 * <p>kafka-clients is a provided dependency of this module: every component that loads this class has it.
 */
public final class KafkaClientSecurity {

    /** What a component with no {@code --kafka-config} uses: nothing, i.e. PLAINTEXT. */
    public static final KafkaClientSecurity NONE = new KafkaClientSecurity(Map.of(), null);

    private static final Pattern PROVIDER_KEY = Pattern.compile("config\\.providers\\.([^.]+)\\.(class|param\\..+)");
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}:]+):(?:([^}]*):)?([^}:]+)}");
    private static final String DIRECTORY_PROVIDER = "org.apache.kafka.common.config.provider.DirectoryConfigProvider";
    private static final String FILE_PROVIDER = "org.apache.kafka.common.config.provider.FileConfigProvider";
    private static final Set<String> CLIENT_KEYS = clientKeys();

    private final Map<String, String> settings;
    private final Path source;

    private KafkaClientSecurity(Map<String, String> settings, Path source) {
        this.settings = Collections.unmodifiableMap(new TreeMap<>(settings));
        this.source = source;
    }

    /** Loads and validates a properties file; the message of the exception names the file and the key. */
    public static KafkaClientSecurity load(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException("Kafka client config " + file + ": no such readable file");
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Kafka client config " + file + ": cannot read: " + e.getMessage(), e);
        }
        Map<String, String> settings = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            settings.put(key, properties.getProperty(key).trim());
        }
        return of(settings, file);
    }

    /** Validates settings given as a map ({@code origin} names them in errors, may be null). */
    public static KafkaClientSecurity of(Map<String, String> settings, Path origin) {
        String where = "Kafka client config" + (origin == null ? "" : " " + origin) + ": ";
        List<String> errors = new ArrayList<>();
        Set<String> providers = new TreeSet<>();
        String declared = settings.get("config.providers");
        if (declared != null) {
            for (String name : declared.split(",")) {
                if (!name.isBlank()) {
                    providers.add(name.trim());
                }
            }
        }
        for (Map.Entry<String, String> entry : new TreeMap<>(settings).entrySet()) {
            String key = entry.getKey();
            String value = entry.getValue();
            if (value == null || value.isBlank()) {
                errors.add(key + " is empty");
                continue;
            }
            Matcher provider = PROVIDER_KEY.matcher(key);
            if (key.equals("config.providers")) {
                continue;
            } else if (provider.matches()) {
                if (!providers.contains(provider.group(1))) {
                    errors.add(key + " configures provider '" + provider.group(1) + "', which config.providers does not list");
                }
            } else if (key.equals("security.protocol")) {
                if (!SecurityProtocol.names().contains(value.toUpperCase(java.util.Locale.ROOT))) {
                    errors.add("security.protocol must be one of " + SecurityProtocol.names() + ", got '" + value + "'");
                }
            } else if (key.startsWith("ssl.") || key.startsWith("sasl.")) {
                if (!CLIENT_KEYS.contains(key)) {
                    errors.add("unknown Kafka client setting '" + key + "'");
                }
            } else if (CLIENT_KEYS.contains(key)) {
                errors.add("'" + key + "' is not a security setting: the component sets it itself");
            } else {
                errors.add("unknown Kafka client setting '" + key + "' (accepted: security.protocol, ssl.*, sasl.*, config.providers*)");
            }
        }
        String protocol = settings.getOrDefault("security.protocol", "PLAINTEXT").toUpperCase(java.util.Locale.ROOT);
        boolean ssl = protocol.equals("SSL") || protocol.equals("SASL_SSL");
        boolean sasl = protocol.startsWith("SASL_");
        for (String key : settings.keySet()) {
            if (key.startsWith("ssl.") && !ssl) {
                errors.add(key + " is set but security.protocol " + protocol + " does not use TLS");
            }
            if (key.startsWith("sasl.") && !sasl) {
                errors.add(key + " is set but security.protocol " + protocol + " does not use SASL");
            }
        }
        if (sasl && !settings.containsKey("sasl.jaas.config")) {
            errors.add("security.protocol " + protocol + " needs sasl.jaas.config");
        }
        for (Map.Entry<String, String> entry : new TreeMap<>(settings).entrySet()) {
            String key = entry.getKey();
            String value = entry.getValue();
            if (value == null) {
                continue;
            }
            Matcher reference = REFERENCE.matcher(value);
            boolean referenced = false;
            while (reference.find()) {
                referenced = true;
                String name = reference.group(1);
                if (!providers.contains(name)) {
                    errors.add(key + " refers to config provider '" + name + "', which config.providers does not list");
                    continue;
                }
                String type = settings.get("config.providers." + name + ".class");
                Path referencedFile = null;
                if (DIRECTORY_PROVIDER.equals(type) && reference.group(2) != null) {
                    referencedFile = Path.of(reference.group(2)).resolve(reference.group(3));
                } else if (FILE_PROVIDER.equals(type) && reference.group(2) != null) {
                    referencedFile = Path.of(reference.group(2));
                }
                if (referencedFile != null && !(Files.isRegularFile(referencedFile) && Files.isReadable(referencedFile))) {
                    errors.add(key + " reads " + referencedFile + ", which is not a readable file");
                }
            }
            if (!referenced && key.endsWith(".location") && (key.startsWith("ssl.") || key.startsWith("sasl."))) {
                Path named = Path.of(value);
                if (!(Files.isRegularFile(named) && Files.isReadable(named))) {
                    errors.add(key + " names " + value + ", which is not a readable file");
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(where + String.join("; ", errors));
        }
        return new KafkaClientSecurity(settings, origin);
    }

    /** The validated settings, to put into a client's configuration (after the component's own). */
    public Map<String, String> settings() {
        return settings;
    }

    /** Adds the settings to a client configuration; they never override what the component set itself. */
    public <M extends Map<String, Object>> M applyTo(M clientConfig) {
        settings.forEach(clientConfig::putIfAbsent);
        return clientConfig;
    }

    /** The settings as Properties, e.g. for Flink's Kafka source and sink builders. */
    public Properties toProperties() {
        Properties properties = new Properties();
        properties.putAll(settings);
        return properties;
    }

    /** The security protocol in effect (PLAINTEXT without settings). */
    public String protocol() {
        return settings.getOrDefault("security.protocol", "PLAINTEXT").toUpperCase(java.util.Locale.ROOT);
    }

    @Override
    public String toString() {
        return "KafkaClientSecurity[" + protocol() + (source == null ? "" : " from " + source) + ", keys " + settings.keySet() + "]";
    }

    private static Set<String> clientKeys() {
        Set<String> keys = new TreeSet<>();
        keys.addAll(ProducerConfig.configNames());
        keys.addAll(ConsumerConfig.configNames());
        keys.addAll(AdminClientConfig.configNames());
        return keys;
    }
}
