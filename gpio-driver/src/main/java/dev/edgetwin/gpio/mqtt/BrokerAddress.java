package dev.edgetwin.gpio.mqtt;

import java.net.URI;
import java.net.URISyntaxException;

/** The {@code --mqtt} flag: {@code tcp://HOST:PORT} (also {@code mqtt://}; the port defaults to 1883). */
public record BrokerAddress(String host, int port) {
    public static BrokerAddress parse(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--mqtt: not a URI such as tcp://127.0.0.1:1883: " + text);
        }
        if (!"tcp".equals(uri.getScheme()) && !"mqtt".equals(uri.getScheme())) {
            throw new IllegalArgumentException("--mqtt: the scheme must be tcp:// (or mqtt://), got " + text);
        }
        if (uri.getHost() == null || (uri.getPath() != null && !uri.getPath().isEmpty())) {
            throw new IllegalArgumentException("--mqtt: must be tcp://HOST:PORT, got " + text);
        }
        int port = uri.getPort() == -1 ? 1883 : uri.getPort();
        if (port < 1 || port > 65_535) throw new IllegalArgumentException("--mqtt: port must be 1..65535, got " + port);
        return new BrokerAddress(uri.getHost(), port);
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
