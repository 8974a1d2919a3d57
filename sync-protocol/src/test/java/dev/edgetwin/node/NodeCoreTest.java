package dev.edgetwin.node;

import dev.edgetwin.log.StoreOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodeCoreTest {
    @TempDir
    Path dir;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void listensOnAFreePortServesHealthAndClosesEverything() throws Exception {
        NodeCore core = NodeCore.open("edge-a", dir, StoreOptions.edge());
        AtomicBoolean componentClosed = new AtomicBoolean();
        core.onClose(() -> componentClosed.set(true));
        int port = core.listen("127.0.0.1", 0, "test http");
        assertThat(port).isPositive().isEqualTo(core.httpPort());
        HttpResponse<String> health = get(port, "/healthz");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("ok\n");
        core.close();
        assertThat(componentClosed).isTrue();
        assertThatThrownBy(() -> get(port, "/healthz")).isInstanceOf(ConnectException.class);
        // the store was closed: the same data dir opens again
        NodeCore.open("edge-a", dir, StoreOptions.edge()).close();
    }
}
