package dev.ringfence.sinks.write;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import javax.net.ssl.SSLContext;

/**
 * An HTTP peer on loopback that answers bulk requests from a script, for what a real node cannot be made
 * to do on demand (429s, 503s), or with a certificate of our own. Template requests are acknowledged;
 * every request is recorded.
 */
final class ScriptedHttpPeer implements AutoCloseable {
    record Answer(int status, String body) {}

    record Request(String method, String path, String authorization, String body) {}

    private final HttpServer server;
    private final Deque<Answer> bulkAnswers = new ConcurrentLinkedDeque<>();
    private final List<Request> requests = java.util.Collections.synchronizedList(new ArrayList<>());

    ScriptedHttpPeer() throws IOException {
        this(null);
    }

    /** With {@code tls}, the peer speaks HTTPS with that context's certificate. */
    ScriptedHttpPeer(SSLContext tls) throws IOException {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls == null) {
            server = HttpServer.create(loopback, 0);
        } else {
            HttpsServer https = HttpsServer.create(loopback, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        }
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"), body));
            Answer answer = exchange.getRequestURI().getPath().endsWith("/_bulk")
                    ? bulkAnswers.poll() : new Answer(200, "{\"acknowledged\":true}");
            if (answer == null) {
                answer = new Answer(500, "{\"error\":\"script exhausted\",\"status\":500}");
            }
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.getResponseHeaders().add("X-Elastic-Product", "Elasticsearch");
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return (server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort();
    }

    void answerBulk(int status, String body) {
        bulkAnswers.add(new Answer(status, body));
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    List<Request> bulkRequests() {
        return requests().stream().filter(request -> request.path().endsWith("/_bulk")).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
