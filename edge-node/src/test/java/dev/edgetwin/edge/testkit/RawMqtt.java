package dev.edgetwin.edge.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A bare MQTT connection over a socket, for what client libraries will not do: vanish without
 * DISCONNECT, fall silent past the keep-alive, send garbage or what a broker must refuse.
 */
public final class RawMqtt implements AutoCloseable {
    private final Socket socket;

    private RawMqtt(Socket socket) {
        this.socket = socket;
    }

    /** Connects (clean session) and returns once CONNACK accepted; {@code willTopic} may be null. */
    public static RawMqtt connect(int port, String clientId, int keepAliveSeconds, String willTopic, String willPayload)
            throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(20_000);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(new byte[]{0, 4, 'M', 'Q', 'T', 'T', 4});
        int flags = 0x02 | (willTopic != null ? 0x04 | 0x08 : 0);   // clean session; will at QoS 1
        body.write(flags);
        body.write(keepAliveSeconds >> 8);
        body.write(keepAliveSeconds & 0xff);
        string(body, clientId);
        if (willTopic != null) {
            string(body, willTopic);
            string(body, willPayload);
        }
        RawMqtt raw = new RawMqtt(s);
        raw.send(0x10, body.toByteArray());
        InputStream in = s.getInputStream();
        byte[] connack = in.readNBytes(4);
        if (connack.length != 4 || connack[0] != 0x20 || connack[3] != 0) {
            s.close();
            throw new IOException("CONNECT refused: " + java.util.Arrays.toString(connack));
        }
        return raw;
    }

    /** A connection that has sent nothing yet (for CONNECT packets built by the test). */
    public static RawMqtt open(int port) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(20_000);
        return new RawMqtt(s);
    }

    /** The next packet the broker sends: its first byte, then its body; null once the broker closed the connection. */
    public byte[] readPacket() throws IOException {
        InputStream in = socket.getInputStream();
        int first = in.read();
        if (first < 0) return null;
        int len = 0;
        for (int shift = 0, b = 0x80; (b & 0x80) != 0; shift += 7) {
            b = in.read();
            if (b < 0) return null;
            len |= (b & 0x7F) << shift;
        }
        byte[] packet = new byte[1 + len];
        packet[0] = (byte) first;
        if (in.readNBytes(packet, 1, len) != len) return null;
        return packet;
    }

    /** Appends an MQTT string: two length bytes and the UTF-8 bytes. */
    public static void string(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b.length >> 8);
        out.write(b.length & 0xff);
        out.writeBytes(b);
    }

    /** Sends one packet: {@code type} is the first byte (type and flags). */
    public void send(int type, byte[] body) throws IOException {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(type);
        int len = body.length;
        do {
            int digit = len % 128;
            len /= 128;
            p.write(len > 0 ? digit | 0x80 : digit);
        } while (len > 0);
        p.writeBytes(body);
        socket.getOutputStream().write(p.toByteArray());
        socket.getOutputStream().flush();
    }

    /** Publishes at QoS 0. */
    public void publish(String topic, byte[] payload) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, topic);
        body.writeBytes(payload);
        send(0x30, body.toByteArray());
    }

    /** True once the broker has closed the connection (read returns end of stream), waiting up to the socket timeout. */
    public boolean closedByBroker() {
        try {
            InputStream in = socket.getInputStream();
            while (true) {
                if (in.read() < 0) return true;
            }
        } catch (IOException e) {
            return e.getMessage() != null && e.getMessage().contains("reset");
        }
    }

    /** Closes the socket without DISCONNECT: to the broker, an abrupt loss. */
    @Override
    public void close() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }
}
