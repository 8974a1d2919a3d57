package dev.edgetwin.edge.mqtt.broker;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * The broker's {@link StoredMessages} as bytes, kept across a restart in the node's data folder
 * (format in edge-node/MQTT.md, "Messages across restarts"). Integers are big-endian; a string
 * is its UTF-8 length as an int (-1: absent) and the bytes:
 * <pre>
 * "ETMM"  version:u8  savedAt:i64 (wall clock, ms)
 * retained:i32  message...
 * sessions:i32  (clientId:string  count:i32  message...)...
 * crc32c:i32 of every byte before it
 *
 * message: flags:u8 (1: QoS 1, 2: retain, 4: properties follow)  topic:string  expiresIn:i64 (ms left, 0: none)
 *          payload:i32+bytes  [payloadFormat:i8  expirySeconds:i64  contentType:string  responseTopic:string
 *          correlationData:i32+bytes (-1: absent)  userProperties:i32 (name:string value:string)...]
 * </pre>
 * A message's deadline is written as the time it had left at the save; {@link #decode} takes
 * the time that passed since off it (a message that expired meanwhile is left out and counted).
 * No I/O here: the adapter reads and writes the file.
 */
public final class StoredMessagesCodec {
    public static final int MAGIC = 0x45544D4D;   // "ETMM"
    public static final int VERSION = 1;
    private static final int QOS1 = 1;
    private static final int RETAIN = 2;
    private static final int PROPERTIES = 4;

    private StoredMessagesCodec() {
    }

    /** What {@link #decode} read: the messages, deadlines on a clock reading {@code StoredMessages.clock} now, and how many had expired. */
    public record Decoded(StoredMessages messages, int expired) {
    }

    /** The messages as saved at wall-clock time {@code savedAt} (ms since the epoch). */
    public static byte[] encode(StoredMessages messages, long savedAt) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4_096);
        CRC32C crc = new CRC32C();
        try (DataOutputStream out = new DataOutputStream(new CheckedOutputStream(bytes, crc))) {
            out.writeInt(MAGIC);
            out.writeByte(VERSION);
            out.writeLong(savedAt);
            out.writeInt(messages.retained().size());
            for (Message m : messages.retained()) write(out, m, messages.clock());
            out.writeInt(messages.queued().size());
            for (Map.Entry<String, List<Message>> q : messages.queued().entrySet()) {
                string(out, q.getKey());
                out.writeInt(q.getValue().size());
                for (Message m : q.getValue()) write(out, m, messages.clock());
            }
            out.flush();
            new DataOutputStream(bytes).writeInt((int) crc.getValue());   // past the checksummed stream
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    private static void write(DataOutputStream out, Message m, long clock) throws IOException {
        MessageProperties p = m.properties();
        out.writeByte((m.qos() == 1 ? QOS1 : 0) | (m.retain() ? RETAIN : 0) | (p != null ? PROPERTIES : 0));
        string(out, m.topic());
        out.writeLong(m.expiresAt() == 0 ? 0 : Math.max(1, m.expiresAt() - clock));
        out.writeInt(m.payload().length);
        out.write(m.payload());
        if (p == null) return;
        out.writeByte(p.payloadFormat());
        out.writeLong(p.expirySeconds());
        string(out, p.contentType());
        string(out, p.responseTopic());
        out.writeInt(p.correlationData() == null ? -1 : p.correlationData().length);
        if (p.correlationData() != null) out.write(p.correlationData());
        out.writeInt(p.userProperties().size());
        for (Map.Entry<String, String> u : p.userProperties()) {
            string(out, u.getKey());
            string(out, u.getValue());
        }
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    /**
     * The messages of bytes {@link #encode} wrote, read at wall-clock time {@code now}: the
     * deadlines of those with an expiry come back on a clock reading 0, less the time since the
     * save (a message whose time ran out meanwhile is left out and counted). Anything else fails
     * with an {@link IllegalArgumentException} saying what is wrong and where.
     */
    public static Decoded decode(byte[] bytes, long now) {
        if (bytes.length < 4 + 1 + 8 + 4 + 4 + 4) throw new IllegalArgumentException("too short for a stored-messages file: " + bytes.length + " bytes");
        ByteBuffer in = ByteBuffer.wrap(bytes, 0, bytes.length - 4);
        if (in.getInt() != MAGIC) throw new IllegalArgumentException("not a stored-messages file (no \"ETMM\" at its start)");
        int version = in.get() & 0xFF;
        if (version != VERSION) throw new IllegalArgumentException("version " + version + " is not " + VERSION);
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        if ((int) crc.getValue() != ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt()) {
            throw new IllegalArgumentException("checksum mismatch: the file is damaged");
        }
        long elapsed = Math.max(0, now - in.getLong());
        int[] expired = {0};
        try {
            int retainedCount = count(in, "retained messages");
            List<Message> retained = new ArrayList<>(Math.min(retainedCount, 1_024));
            for (int i = 0; i < retainedCount; i++) {
                Message m = read(in, elapsed);
                if (m == null) expired[0]++;
                else retained.add(m);
            }
            int sessions = count(in, "sessions");
            Map<String, List<Message>> queued = new LinkedHashMap<>();
            for (int i = 0; i < sessions; i++) {
                String clientId = string(in, "client id");
                if (clientId == null || clientId.isEmpty()) throw new IllegalArgumentException("session " + i + " has no client id");
                int n = count(in, "messages of " + clientId);
                List<Message> list = new ArrayList<>(Math.min(n, 1_024));
                for (int j = 0; j < n; j++) {
                    Message m = read(in, elapsed);
                    if (m == null) expired[0]++;
                    else list.add(m);
                }
                if (queued.put(clientId, list) != null) throw new IllegalArgumentException("session " + clientId + " twice");
            }
            if (in.hasRemaining()) throw new IllegalArgumentException(in.remaining() + " bytes after the last session");
            return new Decoded(new StoredMessages(retained, queued, 0), expired[0]);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("cut short at byte " + in.position());
        }
    }

    /** A message, or null when its time ran out within {@code elapsed} ms. */
    private static Message read(ByteBuffer in, long elapsed) {
        int at = in.position();
        int flags = in.get() & 0xFF;
        if ((flags & ~(QOS1 | RETAIN | PROPERTIES)) != 0) throw new IllegalArgumentException("unknown message flags " + flags + " at byte " + at);
        String topic = string(in, "topic");
        if (topic == null || topic.isEmpty()) throw new IllegalArgumentException("message without a topic at byte " + at);
        long expiresIn = in.getLong();
        if (expiresIn < 0) throw new IllegalArgumentException("negative expiry at byte " + at);
        byte[] payload = bytes(in, "payload");
        if (payload == null) throw new IllegalArgumentException("message without a payload at byte " + at);
        MessageProperties p = null;
        if ((flags & PROPERTIES) != 0) {
            int format = in.get();
            long expirySeconds = in.getLong();
            String contentType = string(in, "content type");
            String responseTopic = string(in, "response topic");
            byte[] correlation = bytes(in, "correlation data");
            int n = count(in, "user properties");
            List<Map.Entry<String, String>> user = new ArrayList<>(Math.min(n, 64));
            for (int i = 0; i < n; i++) {
                String name = string(in, "user property name");
                String value = string(in, "user property value");
                if (name == null || value == null) throw new IllegalArgumentException("user property without a name or value at byte " + at);
                user.add(new AbstractMap.SimpleImmutableEntry<>(name, value));
            }
            try {
                p = new MessageProperties(format, expirySeconds, contentType, responseTopic, correlation, user);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("message at byte " + at + ": " + e.getMessage());
            }
        }
        if (expiresIn != 0 && expiresIn <= elapsed) return null;
        return new Message(topic, payload, (flags & QOS1) != 0 ? 1 : 0, (flags & RETAIN) != 0, p, expiresIn == 0 ? 0 : expiresIn - elapsed);
    }

    private static int count(ByteBuffer in, String what) {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) throw new IllegalArgumentException("bad count of " + what + ": " + n + " at byte " + (in.position() - 4));
        return n;
    }

    private static byte[] bytes(ByteBuffer in, String what) {
        int n = in.getInt();
        if (n == -1) return null;
        if (n < -1 || n > in.remaining()) throw new IllegalArgumentException("bad length of " + what + ": " + n + " at byte " + (in.position() - 4));
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }

    private static String string(ByteBuffer in, String what) {
        byte[] b = bytes(in, what);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
}
