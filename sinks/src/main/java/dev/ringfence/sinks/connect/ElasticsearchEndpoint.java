package dev.ringfence.sinks.connect;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.TransportUtils;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.message.BasicHeader;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;

/**
 * Where and how to reach Elasticsearch: URL, an API key or user and password, and the CA that signed the
 * cluster's certificate. Secrets stay in their files and are read when a client is built, so they never
 * travel inside a job graph or a log line.
 */
public final class ElasticsearchEndpoint implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String url;
    private final String apiKeyFile;
    private final String user;
    private final String passwordFile;
    private final String caCertFile;

    private ElasticsearchEndpoint(String url, Path apiKeyFile, String user, Path passwordFile, Path caCertFile) {
        this.url = url;
        this.apiKeyFile = apiKeyFile == null ? null : apiKeyFile.toString();
        this.user = user;
        this.passwordFile = passwordFile == null ? null : passwordFile.toString();
        this.caCertFile = caCertFile == null ? null : caCertFile.toString();
    }

    /** No authentication: the embedded node, or a cluster that trusts its network. */
    public static ElasticsearchEndpoint anonymous(String url) {
        return of(url, null, null, null, null);
    }

    /**
     * Validates everything a client will need, so a bad setting fails at start-up with a clear message and
     * not as a stream of retries. At most one of {@code apiKeyFile} and {@code user}; a user needs a password file.
     */
    public static ElasticsearchEndpoint of(String url, Path apiKeyFile, String user, Path passwordFile, Path caCertFile) {
        String checkedUrl = checkUrl(url);
        if (apiKeyFile != null && user != null) {
            throw new IllegalArgumentException("give either an API key file or a user and password file, not both");
        }
        if ((user == null) != (passwordFile == null)) {
            throw new IllegalArgumentException("a user needs a password file and a password file needs a user");
        }
        if (user != null && (user.isBlank() || user.contains(":"))) {
            throw new IllegalArgumentException("Elasticsearch user must be non-blank and without ':', got '" + user + "'");
        }
        if (apiKeyFile != null) {
            readSecret(apiKeyFile, "API key");
        }
        if (passwordFile != null) {
            readSecret(passwordFile, "password");
        }
        if (caCertFile != null) {
            if (!checkedUrl.startsWith("https://")) {
                throw new IllegalArgumentException("a CA certificate is only used with an https:// URL, got " + checkedUrl);
            }
            sslContext(caCertFile);
        }
        return new ElasticsearchEndpoint(checkedUrl, apiKeyFile, user, passwordFile, caCertFile);
    }

    public String url() {
        return url;
    }

    /** A new client; the caller closes it ({@code client._transport().close()}). */
    public ElasticsearchClient client() {
        RestClientBuilder builder = RestClient.builder(HttpHost.create(url))
                .setRequestConfigCallback(request -> request.setConnectTimeout(2_000).setSocketTimeout(30_000));
        Header authorization = authorization();
        if (authorization != null) {
            builder.setDefaultHeaders(new Header[] {authorization});
        }
        if (caCertFile != null) {
            SSLContext ssl = sslContext(Path.of(caCertFile));
            builder.setHttpClientConfigCallback(http -> http.setSSLContext(ssl));
        }
        return new ElasticsearchClient(new RestClientTransport(builder.build(), new JacksonJsonpMapper()));
    }

    @Override
    public String toString() {
        String auth = apiKeyFile != null ? "api key from " + apiKeyFile : user != null ? "user " + user : "no auth";
        return url + " (" + auth + (caCertFile == null ? "" : ", CA " + caCertFile) + ")";
    }

    private Header authorization() {
        if (apiKeyFile != null) {
            return new BasicHeader("Authorization", "ApiKey " + readSecret(Path.of(apiKeyFile), "API key"));
        }
        if (user != null) {
            String credentials = user + ":" + readSecret(Path.of(passwordFile), "password");
            return new BasicHeader("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return null;
    }

    private static String checkUrl(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("Elasticsearch URL is missing (e.g. https://elasticsearch.example:9200)");
        }
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Elasticsearch URL '" + url + "' is not a URL: " + e.getMessage(), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("Elasticsearch URL must be http(s)://host[:port], got '" + url + "'");
        }
        if (uri.getUserInfo() != null) {
            throw new IllegalArgumentException("put credentials in an API key or password file, not in the URL");
        }
        return uri.toString().replaceAll("/+$", "");
    }

    private static String readSecret(Path file, String what) {
        try {
            String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (secret.isEmpty()) {
                throw new IllegalArgumentException(what + " file " + file + " is empty");
            }
            return secret;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + what + " file " + file + ": " + e.getMessage(), e);
        }
    }

    private static SSLContext sslContext(Path caCertFile) {
        try {
            return TransportUtils.sslContextFromHttpCaCrt(caCertFile.toFile());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot use CA certificate " + caCertFile + ": " + e.getMessage(), e);
        }
    }
}
