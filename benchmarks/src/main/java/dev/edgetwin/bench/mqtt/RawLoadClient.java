package dev.edgetwin.bench.mqtt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * One simulated mapper, like {@link LoadClient}, but a minimal MQTT 3.1.1 client written for the
 * benchmark: the same twin updates (same topics, same bodies) at QoS 1 with {@code window} in
 * flight, encoded straight into a reusable direct buffer, as many frames per {@code write()} as
 * the window allows. All clients share one {@link Loop}: one thread, one selector, plain
 * non-blocking sockets. It exists so that the load generator's own CPU use (which competes with
 * the broker under test on the same machine) stays small; the Vert.x client costs several times more
 * per update.
 *
 * <p>What a client publishes, and when, is its {@link Feed}: by default ({@link #RawLoadClient(Loop,
 * String, List, int)}) the temperature updates above, as fast as the window allows; the end-to-end
 * driver gives each client a paced feed of its own bodies instead.
 *
 * <p>Supported: CONNECT (clean session, keep-alive 60 s, PINGREQ after 30 s without sending),
 * CONNACK, SUBSCRIBE/SUBACK (QoS 0 filters), PUBLISH QoS 1 out, PUBACK in, PUBLISH QoS 0/1 in
 * (body skipped; QoS 1 answered with PUBACK), PINGRESP, DISCONNECT. Anything else from the broker
 * fails the whole generator ({@link Loop#failure()}).
 *
 * <p>Threads: everything but the methods documented as callable from any thread runs on the
 * loop's thread. {@link #ackedWhileMeasuring()} may be read at any time; {@link #latencies()} and
 * the final counts are stable once {@link #stop()} returned.
 */
final class RawLoadClient implements MeasuredClient {
    private static final int PUBLISH_QOS1 = 0x32;
    /** The loop never parks (see {@link Loop#Loop(Duration, Duration)}) while a client has a smaller window. */
    static final int MIN_BATCHED_WINDOW = 16;
    private static final byte[] PINGREQ = {(byte) 0xC0, 0};
    private static final byte[] DISCONNECT = {(byte) 0xE0, 0};
    private enum State { NEW, CONNECTING, CONNACK_WAIT, SUBACK_WAIT, READY, DRAINING, DISCONNECT_SENT, CLOSED }

    private final Loop loop;
    private final String clientId;
    private final List<String> devices;
    private final byte[][] topics;       // per device: 2-byte length + UTF-8 topic
    private final Feed feed;
    private final int window;
    private final int maxFrame;
    private final long[] sentAt = new long[65_536];
    private final long[] publication = new long[65_536];   // per packet id: the feed's number of the publication
    private final boolean[] pending = new boolean[65_536];
    private final Latencies latencies = new Latencies(1 << 20);
    private final ByteBuffer out;
    private final ByteBuffer in = ByteBuffer.allocateDirect(1 << 16);
    private final ArrayDeque<byte[]> control = new ArrayDeque<>();
    private final ByteBuffer body;
    private final Map<Integer, Integer> subscribing = new HashMap<>();   // SUBSCRIBE packet id -> filters
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    private SocketChannel channel;
    private SelectionKey key;
    private State state = State.NEW;
    private boolean subscribeResults;
    private boolean publishing;
    private boolean stopped;
    private boolean wantWrite;
    private int inflight;
    private int next;
    private int nextId = 1;
    private long sequence;
    private long lastSent;
    private long drainUntil;
    private long ackedLocal;
    private volatile boolean measuring;
    private volatile long acked;
    private volatile long failed;

    /** A client publishing {@link TemperatureFeed}'s updates as fast as its window allows. */
    RawLoadClient(Loop loop, String clientId, List<String> devices, int window) {
        this(loop, clientId, devices, window, new TemperatureFeed(clientId));
    }

    /**
     * A client publishing {@code feed}'s bodies, publication {@code k} to {@code devices[k mod
     * devices.size()]}, with at most {@code window} in flight.
     */
    RawLoadClient(Loop loop, String clientId, List<String> devices, int window, Feed feed) {
        if (window < 1 || window > 65_000) throw new IllegalArgumentException("window must be 1..65000");
        if (devices.isEmpty()) throw new IllegalArgumentException(clientId + " has no devices");
        this.loop = loop;
        this.clientId = clientId;
        this.devices = List.copyOf(devices);
        this.window = window;
        this.feed = feed;
        this.topics = new byte[devices.size()][];
        int maxTopic = 0;
        for (int i = 0; i < devices.size(); i++) {
            topics[i] = string("$hw/events/device/" + devices.get(i) + "/twin/update");
            maxTopic = Math.max(maxTopic, topics[i].length);
        }
        this.body = ByteBuffer.allocate(feed.maxBodyBytes());
        // header (1 + up to 4) + topic + packet id + body
        this.maxFrame = 5 + maxTopic + 2 + feed.maxBodyBytes();
        this.out = ByteBuffer.allocateDirect(window * maxFrame + (1 << 16) + 1024);
    }

    /** Connects, then subscribes to the devices' update results; completes once ready to publish. Any thread. */
    CompletableFuture<Void> connect(String host, int port, boolean subscribeResults) {
        loop.execute(() -> open(host, port, subscribeResults));
        return ready;
    }

    /** Starts publishing. Any thread. */
    void start() {
        loop.execute(() -> {
            if (state != State.READY) throw new IllegalStateException(clientId + " is not connected (" + state + ")");
            publishing = true;
            pump();
        });
    }

    /** Any thread. */
    @Override
    public void measure(boolean on) {
        measuring = on;
    }

    /** Stops publishing and recording; returns once the loop took note (or ended). Any thread. */
    void stop() throws InterruptedException {
        loop.call(() -> {
            publishing = false;
            stopped = true;
            acked = ackedLocal;
        });
    }

    /** PUBACKs received while measuring (any thread; exact after {@link #stop()}). */
    @Override
    public long ackedWhileMeasuring() {
        return acked;
    }

    /** Publications lost in flight when the connection failed. */
    @Override
    public long failed() {
        return failed;
    }

    /** Read after {@link #stop()}. */
    @Override
    public Latencies latencies() {
        return latencies;
    }

    /** Stops publishing, waits (at most 2 s) for the PUBACKs still due, sends DISCONNECT and closes the socket. Any thread. */
    CompletableFuture<Void> disconnect() {
        loop.execute(this::beginDisconnect);
        return closed;
    }

    String clientId() {
        return clientId;
    }

    // ---------------------------------------------------------------- on the loop thread

    private void open(String host, int port, boolean results) {
        if (state != State.NEW) throw new IllegalStateException(clientId + " connected twice");
        subscribeResults = results;
        lastSent = loop.now;
        loop.clients.add(this);
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            state = State.CONNECTING;
            if (channel.connect(new InetSocketAddress(host, port))) {
                key = channel.register(loop.selector, SelectionKey.OP_READ, this);
                connected();
            } else {
                key = channel.register(loop.selector, SelectionKey.OP_CONNECT, this);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(clientId + ": cannot connect to " + host + ":" + port, e);
        }
    }

    private void connected() throws IOException {
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(5 + 10 + 2 + id.length);
        b.put((byte) 0x10);
        putLength(b, 10 + 2 + id.length);
        b.put(new byte[]{0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 60});   // level 4, clean session, keep-alive 60 s
        b.putShort((short) id.length).put(id);
        send(java.util.Arrays.copyOf(b.array(), b.position()));
        state = State.CONNACK_WAIT;
        flush();
    }

    private void subscribe() throws IOException {
        List<byte[]> filters = new ArrayList<>();
        for (String d : devices) filters.add(string("$hw/events/device/" + d + "/twin/update/result"));
        int packetId = 1;
        int from = 0;
        while (from < filters.size()) {
            int size = 2;
            int to = from;
            while (to < filters.size() && size + filters.get(to).length + 1 < 60_000) size += filters.get(to++).length + 1;
            if (to == from) throw new IllegalArgumentException("topic filter too long");
            ByteBuffer b = ByteBuffer.allocate(5 + size);
            b.put((byte) 0x82);
            putLength(b, size);
            b.putShort((short) packetId);
            for (int i = from; i < to; i++) b.put(filters.get(i)).put((byte) 0);
            send(java.util.Arrays.copyOf(b.array(), b.position()));
            subscribing.put(packetId, to - from);
            packetId++;
            from = to;
        }
        state = State.SUBACK_WAIT;
        flush();
    }

    private void ready(int readyOps) throws IOException {
        if ((readyOps & SelectionKey.OP_CONNECT) != 0) {
            channel.finishConnect();
            key.interestOps(SelectionKey.OP_READ);
            connected();
        }
        if ((readyOps & SelectionKey.OP_READ) != 0 && state != State.CLOSED) read();
        if ((readyOps & SelectionKey.OP_WRITE) != 0 && state != State.CLOSED) flush();
        if (state != State.CLOSED) pump();
    }

    private void read() throws IOException {
        int n = channel.read(in);
        loop.reads++;
        if (n > 0) loop.bytesRead += n;
        if (n < 0) {
            if (state == State.DISCONNECT_SENT) {
                closeChannel(false);
                return;
            }
            throw new IOException(clientId + ": the broker closed the connection (" + state + ", " + inflight + " in flight)");
        }
        in.flip();
        parse(System.nanoTime());
        in.compact();
        if (in.position() == in.capacity()) throw new IOException(clientId + ": a frame from the broker does not fit in the read buffer");
        if (!stopped) acked = ackedLocal;
    }

    /** Handles every complete frame in {@code in} (flipped); leaves a partial one at its position. */
    private void parse(long now) throws IOException {
        while (true) {
            int start = in.position();
            int limit = in.limit();
            if (limit - start < 2) return;
            int type = in.get(start) & 0xff;
            int length = 0;
            int at = start + 1;
            int shift = 0;
            while (true) {
                if (at >= limit) return;
                int b = in.get(at++) & 0xff;
                length |= (b & 0x7f) << shift;
                if ((b & 0x80) == 0) break;
                shift += 7;
                if (shift > 21) throw new IOException(clientId + ": malformed remaining length from the broker");
            }
            int available = limit - at;
            switch (type) {
                case 0x40 -> {   // PUBACK
                    if (length != 2) throw new IOException(clientId + ": PUBACK of length " + length);
                    if (available < 2) return;
                    puback(in.getShort(at) & 0xffff, now);
                    in.position(at + 2);
                }
                case 0x30, 0x31, 0x38, 0x39 -> {   // PUBLISH QoS 0 (dup/retain any): skip it
                    if (!skip(at, length)) return;
                }
                case 0x32, 0x33, 0x3A, 0x3B -> {   // PUBLISH QoS 1: PUBACK it, skip the rest
                    if (available < 2) return;
                    int topicLength = in.getShort(at) & 0xffff;
                    if (topicLength + 4 > length) throw new IOException(clientId + ": malformed PUBLISH from the broker");
                    if (available < topicLength + 4) return;
                    int packetId = in.getShort(at + 2 + topicLength) & 0xffff;
                    if (!skip(at, length)) return;
                    send(new byte[]{0x40, 2, (byte) (packetId >> 8), (byte) packetId});
                }
                case 0x90 -> {   // SUBACK
                    if (available < length) return;
                    suback(at, length);
                    in.position(at + length);
                }
                case 0xD0 -> {   // PINGRESP
                    if (length != 0) throw new IOException(clientId + ": PINGRESP of length " + length);
                    in.position(at);
                }
                case 0x20 -> {   // CONNACK
                    if (length != 2) throw new IOException(clientId + ": CONNACK of length " + length);
                    if (available < 2) return;
                    int code = in.get(at + 1) & 0xff;
                    in.position(at + 2);
                    if (state != State.CONNACK_WAIT) throw new IOException(clientId + ": unexpected CONNACK in state " + state);
                    if (code != 0) throw new IOException(clientId + ": connection refused, CONNACK return code " + code);
                    if (subscribeResults) subscribe();
                    else becomeReady();
                }
                default -> throw new IOException(clientId + String.format(": unexpected MQTT packet 0x%02x (length %d) from the broker", type, length));
            }
        }
    }

    /**
     * Skips a frame whose body ({@code length} bytes) starts at {@code at}: entirely if it is all
     * here, else it waits (a frame that can never fit is an error).
     */
    private boolean skip(int at, int length) throws IOException {
        if (in.limit() - at >= length) {
            in.position(at + length);
            return true;
        }
        if (at - in.position() + length > in.capacity()) throw new IOException(clientId + ": a PUBLISH of " + length + " bytes from the broker");
        return false;
    }

    private void puback(int packetId, long now) throws IOException {
        if (!pending[packetId]) throw new IOException(clientId + ": PUBACK for packet id " + packetId + ", which is not in flight");
        pending[packetId] = false;
        inflight--;
        long latency = now - sentAt[packetId];
        if (measuring && !stopped) {
            ackedLocal++;
            latencies.record(latency);
        }
        feed.acked(publication[packetId], latency);
    }

    private void suback(int at, int length) throws IOException {
        if (state != State.SUBACK_WAIT || length < 3) throw new IOException(clientId + ": unexpected SUBACK (" + state + ")");
        int packetId = in.getShort(at) & 0xffff;
        Integer filters = subscribing.remove(packetId);
        if (filters == null || filters != length - 2) {
            throw new IOException(clientId + ": SUBACK for packet " + packetId + " with " + (length - 2) + " codes, expected " + filters);
        }
        for (int i = at + 2; i < at + length; i++) {
            int granted = in.get(i) & 0xff;
            if (granted > 2) throw new IOException(clientId + String.format(": subscription refused (SUBACK code 0x%02x)", granted));
        }
        if (subscribing.isEmpty()) becomeReady();
    }

    private void becomeReady() {
        state = State.READY;
        ready.complete(null);
    }

    /** Encodes as many publications as are due and the window allows, then writes them with one call. */
    private void pump() throws IOException {
        if (!publishing || state != State.READY || inflight >= window) {
            if (!control.isEmpty() || (out.position() > 0 && !wantWrite)) flush();
            return;
        }
        long now = System.nanoTime();
        long due = feed.due(now);
        ByteBuffer o = out;
        ByteBuffer b = body;
        while (inflight < window && o.remaining() >= maxFrame && sequence < due) {
            int id = nextId;
            while (pending[id]) id = id == 65_535 ? 1 : id + 1;
            nextId = id == 65_535 ? 1 : id + 1;
            byte[] topic = topics[next];
            next = next + 1 == topics.length ? 0 : next + 1;
            long k = sequence++;
            b.clear();
            feed.body(k, b);
            b.flip();
            o.put((byte) PUBLISH_QOS1);
            putLength(o, topic.length + 2 + b.remaining());
            o.put(topic).putShort((short) id).put(b);
            pending[id] = true;
            sentAt[id] = now;
            publication[id] = k;
            feed.sent(k, now);
            inflight++;
            loop.published++;
        }
        flush();
    }

    private void send(byte[] frame) {
        if (control.isEmpty() && out.remaining() >= frame.length) out.put(frame);
        else control.add(frame);
    }

    private void flush() throws IOException {
        while (!control.isEmpty() && out.remaining() >= control.peek().length) out.put(control.poll());
        if (out.position() > 0) {
            out.flip();
            loop.bytesWritten += channel.write(out);
            loop.writes++;
            out.compact();
            lastSent = loop.now;
        }
        boolean more = out.position() > 0 || !control.isEmpty();
        if (more != wantWrite) {
            wantWrite = more;
            key.interestOps(more ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }
        if (!more && state == State.DISCONNECT_SENT) closeChannel(false);
    }

    private void beginDisconnect() {
        publishing = false;
        if (state == State.CLOSED || state == State.DRAINING || state == State.DISCONNECT_SENT) {
            if (state == State.CLOSED) closed.complete(null);
            return;
        }
        if (state == State.NEW || state == State.CONNECTING) {
            closeChannel(false);
            return;
        }
        state = State.DRAINING;
        drainUntil = loop.now + TimeUnit.SECONDS.toNanos(2);
    }

    /** Per loop turn: a paced feed's publications, keep-alive, and the disconnect once the PUBACKs due arrived. */
    private void tick(long now) throws IOException {
        if (publishing && feed.paced() && state == State.READY) pump();
        if (state == State.DRAINING && (inflight == 0 || now - drainUntil > 0)) {
            state = State.DISCONNECT_SENT;
            send(DISCONNECT);
            flush();
        } else if (state.compareTo(State.CONNACK_WAIT) >= 0 && state.compareTo(State.DRAINING) <= 0
                && now - lastSent > TimeUnit.SECONDS.toNanos(30)) {
            send(PINGREQ);
            flush();
        }
    }

    private void closeChannel(boolean lost) {
        if (lost && inflight > 0) failed = inflight;
        if (!stopped) acked = ackedLocal;
        State was = state;
        state = State.CLOSED;
        try {
            if (channel != null) channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        if (!ready.isDone()) ready.completeExceptionally(new IOException(clientId + ": closed before it was ready (" + was + ")"));
        closed.complete(null);
    }

    // ---------------------------------------------------------------- encoding helpers

    private static byte[] string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > 65_535) throw new IllegalArgumentException("string too long for MQTT");
        byte[] out = new byte[b.length + 2];
        out[0] = (byte) (b.length >> 8);
        out[1] = (byte) b.length;
        System.arraycopy(b, 0, out, 2, b.length);
        return out;
    }

    static void putLength(ByteBuffer b, int length) {
        do {
            int digit = length & 0x7f;
            length >>>= 7;
            b.put((byte) (length > 0 ? digit | 0x80 : digit));
        } while (length > 0);
    }

    /** Writes {@code v} (≥ 0) in ASCII decimal at {@code b}'s position. */
    static void putDecimal(ByteBuffer b, long v) {
        if (v < 10) {
            b.put((byte) ('0' + v));
            return;
        }
        int n = 1;
        for (long t = v / 10; t != 0; t /= 10) n++;
        int at = b.position() + n;
        b.position(at);
        do {
            b.put(--at, (byte) ('0' + v % 10));
            v /= 10;
        } while (v != 0);
    }

    /**
     * What a client publishes, and when. Called on the loop's thread only (its results may be read
     * by other threads through the feed's own means).
     */
    interface Feed {
        /** The most bytes {@link #body} writes. */
        int maxBodyBytes();

        /**
         * How many publications (counted from 0) are due by {@code nanos}; {@link Long#MAX_VALUE}
         * for as many as the window allows.
         */
        default long due(long nanos) {
            return Long.MAX_VALUE;
        }

        /** Whether publications fall due with time (the loop then turns at least every millisecond). */
        default boolean paced() {
            return false;
        }

        /** Writes the body of publication {@code k} at {@code to}'s position. */
        void body(long k, ByteBuffer to);

        /** Publication {@code k} was encoded for sending at {@code nanos}. */
        default void sent(long k, long nanos) {
        }

        /** Publication {@code k} was PUBACKed {@code latencyNanos} after it was sent. */
        default void acked(long k, long latencyNanos) {
        }
    }

    /**
     * The ingest benchmark's updates: publication {@code k} of client {@code c} has event id
     * {@code c-k}, the current time in milliseconds and temperature {@code 15 + k mod 150 / 10.0},
     * byte for byte what {@link LoadClient#body} builds.
     */
    static final class TemperatureFeed implements Feed {
        private static final byte[] MID = "\",\"timestamp\":".getBytes(StandardCharsets.US_ASCII);
        /** Everything after the timestamp, for each of the 150 values ({@code 15 + seq % 150 / 10.0}, as LoadClient prints it). */
        private static final byte[][] TAILS = new byte[150][];
        private static final int MAX_TAIL;

        static {
            int max = 0;
            for (int k = 0; k < 150; k++) {
                TAILS[k] = (",\"twin\":{\"temperature\":{\"actual\":{\"value\":\"" + (15 + k / 10.0)
                        + "\"},\"metadata\":{\"type\":\"float\"}}}}").getBytes(StandardCharsets.US_ASCII);
                max = Math.max(max, TAILS[k].length);
            }
            MAX_TAIL = max;
        }

        private final byte[] head;   // {"event_id":"<clientId>-
        private final byte[] millis = new byte[20];
        private int millisLength;
        private long lastMs = -1;

        TemperatureFeed(String clientId) {
            this.head = ("{\"event_id\":\"" + clientId + "-").getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public int maxBodyBytes() {
            return head.length + 20 + MID.length + 20 + MAX_TAIL;
        }

        @Override
        public void body(long k, ByteBuffer to) {
            long ms = System.currentTimeMillis();
            if (ms != lastMs) {
                lastMs = ms;
                ByteBuffer m = ByteBuffer.wrap(millis);
                putDecimal(m, ms);
                millisLength = m.position();
            }
            to.put(head);
            putDecimal(to, k);
            to.put(MID).put(millis, 0, millisLength).put(TAILS[(int) (k % 150)]);
        }
    }

    /**
     * The generator's thread: one selector for all its clients. Ends by itself after
     * {@code maxRun} (disconnecting every client), on {@link #close()}, or on the first error
     * (protocol or I/O), which it keeps in {@link #failure()}.
     */
    static final class Loop implements AutoCloseable {
        private final Selector selector;
        private final Thread thread;
        private final long deadline;
        private final long batchNanos;
        private final List<RawLoadClient> clients = new ArrayList<>();
        private final ConcurrentLinkedQueue<Task> tasks = new ConcurrentLinkedQueue<>();
        private volatile boolean closing;
        private volatile Throwable failure;
        private long now = System.nanoTime();
        private long turns;
        private long parks;
        private long lastTurn;
        private long reads;
        private long writes;
        private long published;
        private long bytesRead;
        private long bytesWritten;

        Loop(Duration maxRun) throws IOException {
            this(maxRun, Duration.ZERO);
        }

        /**
         * {@code batch}: the least time between two turns of the loop while every publishing
         * client has at least half its window in flight (0: none; never with a window under 16,
         * where the broker would wait for the generator). The loop then parks instead
         * of waking up for every few PUBACKs, so each read and write carries more frames: fewer
         * wake-ups and system calls, which are most of the generator's CPU; the broker still has
         * half a window per client queued. Latencies are read up to that much later.
         */
        Loop(Duration maxRun, Duration batch) throws IOException {
            this.batchNanos = batch.toNanos();
            this.selector = Selector.open();
            this.deadline = System.nanoTime() + maxRun.toNanos();
            this.thread = new Thread(this::run, "raw-mqtt-load");
            thread.setDaemon(true);
            thread.start();
        }

        private boolean saturated() {
            boolean any = false;
            for (RawLoadClient c : clients) {
                if (!c.publishing || c.state != State.READY) continue;
                if (c.window < MIN_BATCHED_WINDOW || c.inflight * 2 < c.window) return false;
                any = true;
            }
            return any;
        }

        /** System calls and bytes so far (approximate while running: read without synchronisation). */
        String stats() {
            long p = Math.max(1, published);
            return String.format("raw generator: %,d published, %,d parks, %,d selects, %,d reads, %,d writes (%.2f, %.2f, %.2f per publication), "
                            + "%,d bytes written, %,d read (%.0f, %.0f per publication)", published, parks, turns, reads, writes,
                    turns / (double) p, reads / (double) p, writes / (double) p, bytesWritten, bytesRead,
                    bytesWritten / (double) p, bytesRead / (double) p);
        }

        /** Why the generator stopped early, or null. */
        Throwable failure() {
            return failure;
        }

        boolean alive() {
            return thread.isAlive();
        }

        /** Work for the loop's thread. */
        interface Task {
            void run() throws IOException;
        }

        void execute(Task task) {
            tasks.add(task);
            selector.wakeup();
        }

        /** Runs {@code task} on the loop and waits for it, or for the loop's end. */
        void call(Task task) throws InterruptedException {
            CompletableFuture<Void> done = new CompletableFuture<>();
            execute(() -> {
                task.run();
                done.complete(null);
            });
            while (!done.isDone()) {
                try {
                    done.get(100, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    if (!thread.isAlive()) {
                        thread.join();   // its writes are visible from here on
                        return;
                    }
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                }
            }
        }

        private void run() {
            long closeBy = 0;
            boolean disconnecting = false;
            try {
                while (true) {
                    now = System.nanoTime();
                    Task task;
                    while ((task = tasks.poll()) != null) task.run();
                    if (!disconnecting && (closing || now - deadline > 0)) {
                        if (!closing) System.err.println("raw load generator: run time limit reached, disconnecting");
                        disconnecting = true;
                        closeBy = now + TimeUnit.SECONDS.toNanos(5);
                        for (RawLoadClient c : clients) c.beginDisconnect();
                    }
                    boolean open = false;
                    boolean paced = false;
                    for (RawLoadClient c : clients) {
                        if (c.state == State.CLOSED) continue;
                        c.tick(now);
                        open |= c.state != State.CLOSED;
                        paced |= c.publishing && c.feed.paced();
                    }
                    if (disconnecting && (!open || now - closeBy > 0)) break;
                    if (batchNanos > 0 && turns > 0 && saturated()) {
                        long wait = lastTurn + batchNanos - now;
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                            parks++;
                        }
                    }
                    lastTurn = System.nanoTime();
                    turns++;
                    selector.select(k -> {
                        RawLoadClient c = (RawLoadClient) k.attachment();
                        if (!k.isValid()) return;
                        try {
                            c.ready(k.readyOps());
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }, paced ? 1 : 100);
                }
            } catch (Throwable e) {
                Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
                if (!(cause instanceof ClosedChannelException && closing)) {
                    failure = cause;
                    System.err.println("raw load generator failed: " + cause);
                }
            } finally {
                for (RawLoadClient c : clients) {
                    if (c.state != State.CLOSED) c.closeChannel(failure != null);
                }
                try {
                    selector.close();
                } catch (IOException ignored) {
                    // ending anyway
                }
                // tasks queued after the end would never run
                tasks.clear();
            }
        }

        /** Disconnects every client (at most about 5 s) and ends the thread. Any thread. */
        @Override
        public void close() throws InterruptedException {
            closing = true;
            selector.wakeup();
            thread.join(TimeUnit.SECONDS.toMillis(15));
        }
    }
}
