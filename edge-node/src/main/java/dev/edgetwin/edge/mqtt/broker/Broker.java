package dev.edgetwin.edge.mqtt.broker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The broker's routing and session logic, without any network code: the Vert.x adapter turns
 * MQTT packets into calls here and {@link ClientLink#send} back into packets.
 *
 * <p><b>Threading.</b> Not thread-safe: every call must come from one thread (the adapter's
 * event loop). <b>QoS.</b> 0 and 1; a delivery gets the lower of the message's QoS and the
 * subscription's. <b>Flow control.</b> At most {@code maxInflight} unacknowledged QoS 1
 * messages per client; further ones wait in the session, at most {@code maxQueued} of them
 * (online or offline), after which new QoS 1 messages for that client are dropped and counted.
 * QoS 0 messages for an offline client are dropped, as MQTT allows. <b>Stored sessions.</b> At
 * most {@code maxOfflineSessions} persistent sessions are kept for clients that are not
 * connected; past that, the one whose client left first is dropped (its subscriptions and
 * queued messages with it; the client's next CONNECT finds no session), so clients connecting
 * under ever new ids cannot grow the broker without bound. A session holds at most
 * {@code maxSubscriptions} topic filters; a SUBSCRIBE for more is refused for each filter past
 * the limit ({@link #REFUSED_QUOTA}; the adapter sends an MQTT 3.1.1 client 0x80, section 3.9.3),
 * the others are granted. At most
 * {@code maxConnections} clients are connected at once ({@link #admitsConnect}, asked by the adapter
 * before it accepts a CONNECT). A stored session whose client has been away for
 * {@code sessionExpirySeconds} ends (at the next CONNECT or {@link #expireSessions}, which the
 * adapter calls now and then), as mosquitto's {@code persistent_client_expiration} does. <b>Memory.</b>
 * The QoS 1 messages sessions hold (in flight and waiting) total at most {@code maxQueuedBytes}
 * (payload and topic) beyond what goes straight to a connected client with a free in-flight
 * slot: past it a message that would have to wait is dropped and counted, as for a full queue.
 * <b>MQTT 5</b> (edge-node/MQTT.md, "MQTT 5"): a session's own expiry interval (capped by
 * {@code sessionExpirySeconds}), delayed wills, message properties and expiry, subscription
 * options ({@link SubscriptionOptions}) and identifiers, the client's receive maximum and maximum packet size.
 */
public final class Broker {
    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);

    /**
     * @param maxInflight   unacknowledged QoS 1 messages per client (1..65534)
     * @param maxQueued     QoS 1 messages waiting per session (for a slot, or while offline)
     * @param maxRetained   topics with a retained message
     * @param maxTopicBytes longest topic name or filter, in UTF-8 bytes
     * @param maxOfflineSessions persistent sessions kept for clients not connected (0: none outlives its connection)
     * @param maxSubscriptions topic filters one session may hold; a SUBSCRIBE past it gets {@link #REFUSED_QUOTA} for the extra filters
     * @param maxConnections clients connected at once; a CONNECT past it is refused (server unavailable) unless it takes over its own connection
     * @param sessionExpirySeconds how long a stored session outlives its client's connection (0: until {@code maxOfflineSessions} evicts it)
     * @param maxQueuedBytes bytes of QoS 1 messages all sessions together hold for their clients (in flight or waiting)
     *                       past which a message that would have to wait is dropped
     * @param maxRetainedBytes bytes of retained messages (payload and topic) kept in all; a retained message that
     *                         would take more is not retained (it is still delivered)
     */
    public record Settings(int maxInflight, int maxQueued, int maxRetained, int maxTopicBytes, int maxOfflineSessions,
                           int maxSubscriptions, int maxConnections, int sessionExpirySeconds, int maxQueuedBytes,
                           int maxRetainedBytes) {
        public static final Settings DEFAULT = new Settings(1_000, 10_000, 100_000, 65_535, 10_000, 10_000, 10_000,
                86_400, 64 * 1024 * 1024, 64 * 1024 * 1024);

        public Settings {
            if (maxInflight < 1 || maxInflight > 65_534) throw new IllegalArgumentException("maxInflight must be 1..65534");
            if (maxQueued < 0 || maxRetained < 0 || maxTopicBytes < 1 || maxOfflineSessions < 0 || maxSubscriptions < 0) {
                throw new IllegalArgumentException("limits must be positive");
            }
            if (maxConnections < 1) throw new IllegalArgumentException("maxConnections must be >= 1, got " + maxConnections);
            if (sessionExpirySeconds < 0) throw new IllegalArgumentException("sessionExpirySeconds must be >= 0, got " + sessionExpirySeconds);
            if (maxQueuedBytes < 0) throw new IllegalArgumentException("maxQueuedBytes must be >= 0, got " + maxQueuedBytes);
            if (maxRetainedBytes < 0) throw new IllegalArgumentException("maxRetainedBytes must be >= 0, got " + maxRetainedBytes);
        }
    }

    /** {@link Connect#expirySeconds} of an MQTT 3.1.1 persistent session: the broker's {@code sessionExpirySeconds}. */
    public static final long SERVER_EXPIRY = -1;
    /** MQTT 5's session expiry interval for a session that never expires. */
    public static final long NEVER_EXPIRES = 0xFFFF_FFFFL;
    /** SUBACK codes (MQTT 5; an MQTT 3.1.1 client gets 0x80 for each): topic filter invalid, quota exceeded. */
    public static final int REFUSED_INVALID_FILTER = 0x8F;
    public static final int REFUSED_QUOTA = 0x97;

    /**
     * A CONNECT as the broker needs it.
     *
     * @param cleanStart       discard a stored session (MQTT 3.1.1's clean session, which also makes the new
     *                         session end with the connection: {@link #v3})
     * @param expirySeconds    the session expiry interval asked for (MQTT 5; 0: the session ends with the
     *                         connection, {@link #NEVER_EXPIRES}: never), or {@link #SERVER_EXPIRY}
     * @param receiveMaximum   QoS 1 messages the client takes in flight at once (65535 when it did not say)
     * @param maxPacketBytes   largest packet the client takes ({@code Integer.MAX_VALUE} when it did not say)
     * @param will             the message to publish if the connection ends without DISCONNECT, or null
     * @param willDelaySeconds how long after that the will goes out (MQTT 5 Will Delay Interval; 0: at once)
     * @param mayRead          whether the client may read a topic filter or name (its ACL now), or null: any; a
     *                         resumed session loses the subscriptions and waiting messages it fails ({@link #revoke})
     * @param denied           topic names nothing may be delivered on to the client, whatever its subscriptions
     *                         (its ACL's deny rules), or null: none
     */
    public record Connect(String clientId, boolean cleanStart, long expirySeconds, int receiveMaximum, int maxPacketBytes,
                          Message will, long willDelaySeconds, Predicate<String> mayRead, Predicate<String> denied) {
        public Connect {
            if (expirySeconds < SERVER_EXPIRY || expirySeconds > NEVER_EXPIRES) throw new IllegalArgumentException("expirySeconds out of range");
            if (receiveMaximum < 1 || maxPacketBytes < 1 || willDelaySeconds < 0) throw new IllegalArgumentException("limits must be positive");
        }

        /** A CONNECT without a read check (no ACL). */
        public Connect(String clientId, boolean cleanStart, long expirySeconds, int receiveMaximum, int maxPacketBytes,
                       Message will, long willDelaySeconds) {
            this(clientId, cleanStart, expirySeconds, receiveMaximum, maxPacketBytes, will, willDelaySeconds, null, null);
        }

        /** The same CONNECT with a read check and (or null) the topics denied to it. */
        public Connect withReadCheck(Predicate<String> check, Predicate<String> deny) {
            return new Connect(clientId, cleanStart, expirySeconds, receiveMaximum, maxPacketBytes, will, willDelaySeconds, check, deny);
        }

        /** An MQTT 3.1.1 CONNECT: a persistent session (clean session off) lives {@code sessionExpirySeconds}. */
        public static Connect v3(String clientId, boolean cleanSession, Message will) {
            return new Connect(clientId, cleanSession, cleanSession ? 0 : SERVER_EXPIRY, 65_535, Integer.MAX_VALUE, will, 0);
        }
    }

    private static final Comparator<Session> BY_EXPIRY =
            Comparator.<Session>comparingLong(s -> s.expiresAt).thenComparingLong(s -> s.serial);
    private static final Comparator<Session> BY_WILL_DUE =
            Comparator.<Session>comparingLong(s -> s.willDueAt).thenComparingLong(s -> s.serial);

    private final Settings settings;
    private final LongSupplier clock;
    private final Routes routes = new Routes(Routes.DEFAULT_CAPACITY);
    private final RetainedMessages retained;
    private final Map<String, Session> sessions = new HashMap<>();
    private final Map<ClientLink, Session> byLink = new IdentityHashMap<>();
    /** The persistent sessions of clients not connected, the one whose client left first first. */
    private final LinkedHashMap<String, Session> offline = new LinkedHashMap<>();
    /** The offline sessions with a time limit, the one that expires first first. */
    private final TreeSet<Session> byExpiry = new TreeSet<>(BY_EXPIRY);
    /** Sessions whose client left with a delayed will not yet published, the one due first first. */
    private final TreeSet<Session> wills = new TreeSet<>(BY_WILL_DUE);
    private long serial;
    private long messagesExpired;
    private long received;
    private long sent;
    /** Shared subscriptions by their key in the subscription tree ({@link #sharedKey}). */
    private final Map<String, SharedGroup> shared = new HashMap<>();

    /**
     * A shared subscription ({@code $share/<group>/<filter>}, MQTT 5 section 4.8.2; offered to MQTT
     * 3.1.1 clients too, as mosquitto does): its members' sessions and options, and whose turn it
     * is. Each message on its filter goes to one member: the next connected one in turn, or, when
     * none is connected, the next one (whose persistent session keeps it).
     */
    private static final class SharedGroup {
        final List<String> members = new ArrayList<>();
        final Map<String, Integer> options = new HashMap<>();
        int next;
    }

    private long dropped;
    private long sessionsEvicted;
    private long subscriptionsRefused;
    private long connectionsRefused;
    private long retainedRefused;
    private long sessionsExpired;
    private long denied;
    private long queuedBytes;
    /** Changes whenever the persistent sessions or their subscriptions change: what {@link #storedSessions} would return. */
    private long storedVersion;
    /** Changes whenever the retained messages or the messages persistent sessions hold may have changed ({@link #storedMessages}). */
    private long heldVersion;

    public Broker(Settings settings) {
        this(settings, () -> System.nanoTime() / 1_000_000);
    }

    /** @param clock milliseconds on a clock that never goes back (when a client left and when its session expires) */
    public Broker(Settings settings, LongSupplier clock) {
        this.settings = settings;
        this.clock = clock;
        this.retained = new RetainedMessages(settings.maxRetained(), settings.maxRetainedBytes());
    }

    public Settings settings() {
        return settings;
    }

    /** {@link #connect(Connect, ClientLink)} for an MQTT 3.1.1 CONNECT ({@link Connect#v3}). */
    public boolean connect(String clientId, boolean cleanSession, Message will, ClientLink link) {
        return connect(Connect.v3(clientId, cleanSession, will), link);
    }

    /**
     * A client connected (CONNECT accepted). A connection already open for the same client id
     * is taken over: its will is published (or, delayed, waits) and it is closed. With clean
     * start any stored session is replaced (it ends, and a delayed will of it goes out); without,
     * a stored session is resumed (a delayed will of it is forgotten), redelivering
     * unacknowledged messages with DUP set and then the queued ones. The session's lifetime is
     * the CONNECT's ({@link #grantedExpirySeconds}).
     *
     * @return whether a stored session was resumed (CONNACK's session-present flag)
     */
    public boolean connect(Connect c, ClientLink link) {
        expireSessions();
        String clientId = c.clientId();
        Session old = sessions.get(clientId);
        if (old != null && old.online()) {
            ClientLink previous = old.link;
            LOG.info("mqtt client {} connected again: closing its previous connection", clientId);
            detach(old, false);
            previous.close();
        }
        boolean resumed = false;
        Session session;
        if (c.cleanStart() || old == null || !old.persistent) {
            if (old != null) dropSession(old);
            session = new Session(clientId, serial++);
            sessions.put(clientId, session);
        } else {
            session = old;
            offline.remove(clientId);
            byExpiry.remove(session);
            session.expiresAt = Session.FOREVER;
            if (session.delayedWill != null) {
                wills.remove(session);
                session.delayedWill = null;
            }
            resumed = true;
        }
        boolean wasPersistent = session.persistent;
        lifetime(session, c.expirySeconds());
        if (session.persistent || wasPersistent) storedVersion++;
        session.inflightLimit = Math.min(settings.maxInflight(), c.receiveMaximum());
        session.maxPacketBytes = c.maxPacketBytes();
        session.link = link;
        session.will = c.will();
        session.willDelayMillis = Math.min(c.willDelaySeconds(), NEVER_EXPIRES) * 1_000L;
        session.denied = c.denied();
        byLink.put(link, session);
        if (resumed && c.mayRead() != null) revoke(session, c.mayRead());
        if (resumed) {
            for (Map.Entry<Integer, Message> e : session.inflight.entrySet()) transmit(session, e.getValue(), e.getKey(), true);
            fillWindow(session);
        }
        return resumed;
    }

    /**
     * The session expiry interval the broker grants for one asked for (s): at most
     * {@code sessionExpirySeconds} unless that is 0 (no limit); {@link #SERVER_EXPIRY} gets the
     * setting itself, {@link #NEVER_EXPIRES} when it is 0. 0 stays 0 (the session ends with its connection).
     */
    public long grantedExpirySeconds(long requested) {
        long cap = settings.sessionExpirySeconds() == 0 ? NEVER_EXPIRES : settings.sessionExpirySeconds();
        return requested == SERVER_EXPIRY ? cap : Math.min(requested, cap);
    }

    /** Sets whether a session outlives its connection, and for how long, from the expiry interval asked for. */
    private void lifetime(Session s, long requested) {
        long granted = grantedExpirySeconds(requested);
        s.expirySeconds = requested;
        s.persistent = granted > 0;
        s.lifetimeMillis = granted == NEVER_EXPIRES ? Session.FOREVER : granted * 1_000L;
    }

    /**
     * An MQTT 5 DISCONNECT that sets the session expiry interval anew. From 0 to more is a
     * protocol error (MQTT 5 section 3.14.2.2.2): nothing changes and false is returned (the
     * adapter closes the connection). To 0, the session ends with the connection.
     */
    public boolean changeExpiry(ClientLink link, long requested) {
        Session s = byLink.get(link);
        if (s == null) return true;
        if (requested < 0 || requested > NEVER_EXPIRES || (!s.persistent && requested > 0)) return false;
        boolean wasPersistent = s.persistent;
        lifetime(s, requested);
        if (wasPersistent) storedVersion++;
        return true;
    }

    /**
     * What a SUBSCRIBE did: the granted QoS per filter ({@link #REFUSED_INVALID_FILTER},
     * {@link #REFUSED_QUOTA}, or 0x80 without a session) and the retained messages due.
     */
    public record Subscribed(List<Integer> granted, List<Message> retained) {
    }

    /**
     * Subscribes; each request is a filter and its {@link SubscriptionOptions#request} (for an
     * MQTT 3.1.1 client just the QoS). The adapter sends SUBACK with {@code granted}, then hands
     * the retained messages to {@link #deliver}: they carry the retain flag, at the lower of
     * their QoS and the granted one, as the request's Retain Handling allows (an expired one is
     * forgotten instead).
     */
    public Subscribed subscribe(ClientLink link, List<Map.Entry<String, Integer>> requests) {
        return subscribe(link, requests, 0);
    }

    /**
     * {@link #subscribe(ClientLink, List)} with an MQTT 5 Subscription Identifier (1..268435455;
     * 0: none) for every filter granted: the messages a subscription brings carry the identifiers
     * of the client's subscriptions that match them ({@link ClientLink#send}). A filter subscribed
     * again takes the new identifier, or none.
     */
    public Subscribed subscribe(ClientLink link, List<Map.Entry<String, Integer>> requests, int subscriptionId) {
        Session session = byLink.get(link);
        List<Integer> granted = new ArrayList<>(requests.size());
        List<Message> due = new ArrayList<>();
        for (Map.Entry<String, Integer> r : requests) {
            String filter = r.getKey();
            if (session == null) {
                granted.add(0x80);
                continue;
            }
            boolean isShared = Topics.isShared(filter);
            if (Topics.checkSubscription(filter, settings.maxTopicBytes()) != null) {
                granted.add(REFUSED_INVALID_FILTER);
                continue;
            }
            if (!session.subscriptions.containsKey(filter) && session.subscriptions.size() >= settings.maxSubscriptions()) {
                subscriptionsRefused++;
                if (Long.bitCount(subscriptionsRefused) == 1) {   // the 1st, 2nd, 4th, 8th, ...: not a line per filter
                    LOG.info("mqtt client {} holds {} subscriptions (mqtt.maxSubscriptions): refused '{}' ({} refused so far)",
                            session.clientId, session.subscriptions.size(), filter, subscriptionsRefused);
                }
                granted.add(REFUSED_QUOTA);
                continue;
            }
            int request = r.getValue();
            boolean added = grant(session, filter, request);
            identify(session, filter, subscriptionId);
            int qos = SubscriptionOptions.qos(session.subscriptions.get(filter));
            granted.add(qos);
            int retainHandling = SubscriptionOptions.retainHandling(request);
            // a shared subscription gets no retained messages (MQTT 5 section 4.8.2)
            if (!isShared && (retainHandling == 0 || (retainHandling == 1 && added))) {
                for (Message m : retained.matching(filter)) {
                    if (m.expiresAt() != 0 && m.expired(clock.getAsLong())) {
                        retained.remove(m);
                        heldVersion++;
                        messagesExpired++;
                    } else {
                        due.add(m.with(Math.min(m.qos(), qos), true));
                    }
                }
            }
        }
        return new Subscribed(granted, due);
    }

    /**
     * Subscribes {@code session} to the valid {@code filter} with the requested options, QoS
     * granted as at most 1; returns whether the subscription is new.
     */
    private boolean grant(Session session, String filter, int request) {
        int options = SubscriptionOptions.granted(request, Math.min(SubscriptionOptions.qos(request), 1));
        boolean added;
        if (Topics.isShared(filter)) {
            options &= ~SubscriptionOptions.NO_LOCAL;   // not for a shared subscription (MQTT 5 section 3.8.3.1)
            String key = sharedKey(filter);
            SharedGroup group = shared.computeIfAbsent(key, k -> new SharedGroup());
            added = group.options.put(session.clientId, options) == null;
            if (added) group.members.add(session.clientId);
            if (group.members.size() == 1 && added) routes.subscribe(Topics.readFilter(filter), key, 1);
        } else {
            added = routes.subscribe(filter, session.clientId, options);
        }
        session.subscriptions.put(filter, options);
        if (session.persistent) storedVersion++;
        return added;
    }

    /** A shared subscription's subscriber in the tree: U+0000 (which no client id holds), group, U+0000, filter. */
    private static String sharedKey(String sharedFilter) {
        String filter = Topics.readFilter(sharedFilter);
        String group = sharedFilter.substring(Topics.SHARED.length(), sharedFilter.length() - filter.length() - 1);
        return '\u0000' + group + '\u0000' + filter;
    }

    /** Takes client {@code clientId}'s subscription to {@code filter} out of the routes (a shared one out of its group). */
    private void unroute(String filter, String clientId) {
        if (!Topics.isShared(filter)) {
            routes.unsubscribe(filter, clientId);
            return;
        }
        String key = sharedKey(filter);
        SharedGroup group = shared.get(key);
        if (group == null || group.options.remove(clientId) == null) return;
        int at = group.members.indexOf(clientId);
        group.members.remove(at);
        if (at < group.next) group.next--;
        if (group.members.isEmpty()) {
            shared.remove(key);
            routes.unsubscribe(Topics.readFilter(filter), key);
        }
    }

    /** Delivers messages to one connected client (retained messages after a SUBSCRIBE). */
    public void deliver(ClientLink link, List<Message> messages) {
        Session session = byLink.get(link);
        if (session != null) messages.forEach(m -> deliver(session, m));
    }

    /**
     * Whether a CONNECT from {@code clientId} fits {@code maxConnections}: there is room, or it
     * takes over that client's connection. Asked once per CONNECT: a no is counted as a refusal
     * ({@link #connectionsRefusedCount}).
     */
    public boolean admitsConnect(String clientId) {
        Session s = sessions.get(clientId);
        if (byLink.size() < settings.maxConnections() || (s != null && s.online())) return true;
        connectionsRefused++;
        return false;
    }

    /** CONNECTs refused because {@code maxConnections} clients were connected. */
    public long connectionsRefusedCount() {
        return connectionsRefused;
    }

    /** Whether CONNECT with this client id and clean-session flag resumes a stored session (CONNACK's flag). */
    public boolean sessionPresent(String clientId, boolean cleanSession) {
        expireSessions();
        Session s = sessions.get(clientId);
        return !cleanSession && s != null && s.persistent;
    }

    /**
     * Takes from a connected client's session what it may no longer read (its ACL changed): the
     * subscriptions whose filter fails {@code mayRead}, and the QoS 1 messages waiting for it
     * (not yet sent) whose topic does; from now on nothing is delivered to it on a topic
     * {@code denied} (null: none) names.
     *
     * @return the filters unsubscribed
     */
    public List<String> revoke(ClientLink link, Predicate<String> mayRead, Predicate<String> denied) {
        Session session = byLink.get(link);
        if (session == null) return List.of();
        session.denied = denied;
        return revoke(session, mayRead);
    }

    private List<String> revoke(Session session, Predicate<String> mayRead) {
        List<String> gone = new ArrayList<>();
        for (String filter : session.subscriptions.keySet()) {
            if (!mayRead.test(filter)) gone.add(filter);
        }
        for (String filter : gone) unsubscribe(session, filter);
        if (!gone.isEmpty() && session.persistent) storedVersion++;
        int discarded = 0;
        for (var it = session.pending.iterator(); it.hasNext(); ) {
            Message m = it.next();
            if (!mayRead.test(m.topic())) {
                it.remove();
                queuedBytes -= m.size();
                discarded++;
            }
        }
        if (discarded > 0) heldVersion++;
        if (!gone.isEmpty() || discarded > 0) {
            LOG.info("mqtt client {}: subscriptions {} revoked and {} waiting messages dropped: its ACL no longer grants them",
                    session.clientId, gone, discarded);
        }
        return gone;
    }

    public void unsubscribe(ClientLink link, List<String> filters) {
        Session session = byLink.get(link);
        if (session == null) return;
        for (String f : filters) {
            if (unsubscribe(session, f) && session.persistent) storedVersion++;
        }
    }

    /** Takes {@code filter} out of the session, its routes and its identifier; returns whether it had it. */
    private boolean unsubscribe(Session session, String filter) {
        if (session.subscriptions.remove(filter) == null) return false;
        if (session.subscriptionIds != null) session.subscriptionIds.remove(filter);
        unroute(filter, session.clientId);
        return true;
    }

    /**
     * Sets (id above 0) or clears the Subscription Identifier of the session's subscription to
     * {@code filter}, right after {@link #grant} (which already marked the stored sessions changed).
     */
    private static void identify(Session session, String filter, int subscriptionId) {
        if (subscriptionId > 0) {
            if (session.subscriptionIds == null) session.subscriptionIds = new HashMap<>();
            session.subscriptionIds.put(filter, subscriptionId);
        } else if (session.subscriptionIds != null) {
            session.subscriptionIds.remove(filter);
        }
    }

    /** The Subscription Identifiers of the session's subscriptions that match {@code topic}, or null: none. */
    private static int[] subscriptionIds(Session s, String topic) {
        if (s.subscriptionIds == null || s.subscriptionIds.isEmpty()) return null;
        int[] ids = new int[s.subscriptionIds.size()];
        int n = 0;
        for (Map.Entry<String, Integer> e : s.subscriptionIds.entrySet()) {
            if (Topics.matches(Topics.readFilter(e.getKey()), topic)) ids[n++] = e.getValue();
        }
        return n == 0 ? null : Arrays.copyOf(ids, n);
    }

    /**
     * Routes a message to every matching subscription (retain flag cleared, as for any live
     * delivery) and, when it is retained, stores it (an empty payload clears the topic's).
     * The topic must be a valid name (the adapter checks it).
     */
    public void publish(Message message) {
        publish(message, (String) null);
    }

    /**
     * {@link #publish(Message)} by client {@code origin} (null: the broker's own), which its
     * subscriptions with No Local do not get back. A message with a Message Expiry Interval gets
     * its deadline here.
     */
    public void publish(Message message, String origin) {
        if (origin != null) received++;
        Message m = deadline(message);
        deliver(m, routes.match(m.topic()), origin);
    }

    /**
     * {@link #publish(Message)} with the message topic's routes as {@link #route} gave them at
     * the current {@link #subscriptionsVersion} (a caller that publishes on a topic again and
     * again keeps them, instead of the broker looking them up per message).
     */
    public void publish(Message message, Route route) {
        publish(message, route, null);
    }

    /** {@link #publish(Message, Route)} by client {@code origin} (see {@link #publish(Message, String)}). */
    public void publish(Message message, Route route, String origin) {
        // a route from before a change of subscriptions is looked up again: the caller's copy is only a shortcut
        if (route.version != routes.version()) {
            publish(message, origin);
            return;
        }
        if (origin != null) received++;
        Message m = deadline(message);
        retain(m);
        for (int i = 0; i < route.clients.length; i++) deliver(route.clients[i], route.options[i], m, origin);
    }

    /** The message with its expiry deadline on the broker's clock, if it has a Message Expiry Interval and no deadline yet. */
    private Message deadline(Message m) {
        MessageProperties p = m.properties();
        if (p == null || p.expirySeconds() < 0 || m.expiresAt() != 0) return m;
        return m.with(p, Math.max(1, clock.getAsLong() + p.expirySeconds() * 1_000L));
    }

    /** The message as it goes out: with the time it has left as its Message Expiry Interval (at least a second). */
    private Message outgoing(Message m) {
        if (m.expiresAt() == 0) return m;
        long left = Math.max(1, (m.expiresAt() - clock.getAsLong() + 999) / 1_000);
        return m.with(m.properties().withExpirySeconds(left), m.expiresAt());
    }

    /** The routes of topic name {@code name}: current until {@link #subscriptionsVersion} changes. */
    public Route route(String name) {
        return new Route(routes.match(name), routes.version());
    }

    /** The sessions a topic's messages go to (client ids and their merged subscription options), as {@link #route} found them. */
    public static final class Route {
        private final String[] clients;
        private final int[] options;
        private final long version;

        private Route(Map<String, Integer> targets, long version) {
            this.clients = new String[targets.size()];
            this.options = new int[targets.size()];
            int i = 0;
            for (Map.Entry<String, Integer> t : targets.entrySet()) {
                clients[i] = t.getKey();
                options[i++] = t.getValue();
            }
            this.version = version;
        }

        /** Whether a message would reach any session. */
        public boolean isEmpty() {
            return clients.length == 0;
        }
    }

    private void deliver(Message message, Map<String, Integer> targets, String origin) {
        retain(message);
        if (targets.isEmpty()) return;
        for (Map.Entry<String, Integer> t : targets.entrySet()) deliver(t.getKey(), t.getValue(), message, origin);
    }

    private void retain(Message message) {
        if (!message.retain()) return;
        if (retained.put(message)) {
            if (!message.topic().startsWith(Topics.SYS)) heldVersion++;
        } else {
            if (retainedRefused++ % 1_000 == 0) {
                LOG.warn("mqtt retained store full ({} topics, {} bytes; mqtt.maxRetained, mqtt.maxRetainedBytes): not retaining {} "
                        + "({} refused so far)", retained.size(), retained.bytes(), message.topic(), retainedRefused);
            }
        }
    }

    /**
     * Delivers {@code message} to client {@code clientId}'s session, if any, at most at its
     * granted QoS, retain flag cleared unless Retain As Published, and not back to its own
     * client on a subscription with No Local.
     */
    private void deliver(String clientId, int options, Message message, String origin) {
        if (clientId.charAt(0) == '\u0000') {
            deliverShared(shared.get(clientId), message);
            return;
        }
        if (SubscriptionOptions.noLocal(options) && clientId.equals(origin)) return;
        Session s = sessions.get(clientId);
        if (s != null) deliver(s, options, message);
    }

    /** Delivers to a session as its subscription's options say: at most the granted QoS, the retain flag only with Retain As Published. */
    private void deliver(Session s, int options, Message message) {
        deliver(s, message.with(Math.min(message.qos(), SubscriptionOptions.qos(options)),
                message.retain() && SubscriptionOptions.retainAsPublished(options)));
    }

    /** Delivers to one member of a shared subscription: the next connected one in turn, else the next one. */
    private void deliverShared(SharedGroup group, Message message) {
        if (group == null || group.members.isEmpty()) return;
        int n = group.members.size();
        int pick = -1;
        for (int i = 0; i < n && pick < 0; i++) {
            int at = (group.next + i) % n;
            Session s = sessions.get(group.members.get(at));
            if (s != null && s.online()) pick = at;
        }
        if (pick < 0) pick = group.next % n;
        group.next = (pick + 1) % n;
        String member = group.members.get(pick);
        Session s = sessions.get(member);
        if (s != null) deliver(s, group.options.get(member), message);
    }

    private void deliver(Session s, Message m) {
        if (s.denied != null && s.denied.test(m.topic())) return;   // its ACL denies the topic (a deny rule inside a granted filter)
        if (s.maxPacketBytes != Integer.MAX_VALUE && packetBytes(m) > s.maxPacketBytes) {
            // MQTT 5 section 3.1.2.11.4: not sent, as if it had been
            if (dropped++ % 1_000 == 0) {
                LOG.warn("mqtt client {}: dropping a message on {}: larger than the {} bytes the client takes ({} dropped so far)",
                        s.clientId, m.topic(), s.maxPacketBytes, dropped);
            }
            return;
        }
        if (m.qos() == 0) {
            if (s.online()) transmit(s, m, 0, false);
            return;
        }
        if (s.persistent) heldVersion++;
        if (s.online() && s.pending.isEmpty() && s.inflight.size() < s.inflightLimit) {
            queuedBytes += m.size();
            send(s, m);
        } else if (s.online() || s.persistent) {
            if (hasRoom(s, m)) {
                queuedBytes += m.size();
                s.pending.add(m);
            } else if (dropped++ % 1_000 == 0) {
                LOG.warn("mqtt client {}: dropping QoS 1 message on {}: {} ({} dropped so far)", s.clientId, m.topic(),
                        s.pending.size() < settings.maxQueued() ? "sessions hold " + queuedBytes + " bytes (mqtt.maxQueuedBytes)"
                                : s.pending.size() + " messages queued (mqtt.maxQueued)", dropped);
            }
        }
    }

    /** Whether {@code m} may wait in session {@code s}: within {@code maxQueued} for it and {@code maxQueuedBytes} for all. */
    private boolean hasRoom(Session s, Message m) {
        return s.pending.size() < settings.maxQueued() && queuedBytes + m.size() <= settings.maxQueuedBytes();
    }

    /** A PUBLISH packet's size with {@code m} in it, at most (the fixed header's length field taken as four bytes). */
    private static int packetBytes(Message m) {
        return 1 + 4 + 2 + m.topic().getBytes(StandardCharsets.UTF_8).length + 2 + 4
                + (m.properties() == null ? 0 : m.properties().size()) + m.payload().length;
    }

    private void send(Session s, Message m) {
        int id = s.nextPacketId();
        s.inflight.put(id, m);
        transmit(s, m, id, false);
    }

    /** Sends a PUBLISH ({@link #outgoing}) and counts it. */
    private void transmit(Session s, Message m, int packetId, boolean dup) {
        sent++;
        s.link.send(outgoing(m), packetId, dup, subscriptionIds(s, m.topic()));
    }

    /** Forgets every message a session holds. */
    private void release(Session s) {
        if (s.persistent) heldVersion++;
        for (Message m : s.inflight.values()) queuedBytes -= m.size();
        for (Message m : s.pending) queuedBytes -= m.size();
        s.inflight.clear();
        s.pending.clear();
    }

    /** Sends waiting messages while the client has free in-flight slots; one that expired while waiting is dropped. */
    private void fillWindow(Session s) {
        while (s.online() && !s.pending.isEmpty() && s.inflight.size() < s.inflightLimit) {
            Message m = s.pending.poll();
            if (m.expiresAt() != 0 && m.expired(clock.getAsLong())) {
                queuedBytes -= m.size();
                messagesExpired++;
                if (s.persistent) heldVersion++;
                continue;
            }
            send(s, m);
        }
    }

    /** The client acknowledged a QoS 1 message (PUBACK). */
    public void acknowledged(ClientLink link, int packetId) {
        Session s = byLink.get(link);
        Message m = s == null ? null : s.inflight.remove(packetId);
        if (m == null) return;
        queuedBytes -= m.size();
        if (s.persistent) heldVersion++;
        fillWindow(s);
    }

    /**
     * A connection ended. {@code graceful} when the client sent DISCONNECT: its will is
     * discarded; otherwise (network loss, keep-alive timeout, protocol error) it is published.
     * A clean session ends here; a persistent one keeps its subscriptions and messages.
     */
    public void disconnected(ClientLink link, boolean graceful) {
        Session s = byLink.get(link);
        if (s == null || s.link != link) return;
        detach(s, graceful);
        // (a connection taken over by a new one is detached in connect, and its session goes on at once)
        if (s.persistent) keepOffline(s);
        else dropSession(s);
    }

    private void detach(Session s, boolean graceful) {
        byLink.remove(s.link);
        s.link = null;
        Message will = s.will;
        s.will = null;
        if (!graceful && will != null) {
            if (s.willDelayMillis > 0 && s.persistent) {
                // MQTT 5 section 3.1.3.2.2: it goes out once the delay passed or the session ended, not if the client is back first
                s.delayedWill = will;
                s.willDueAt = clock.getAsLong() + s.willDelayMillis;
                wills.add(s);
            } else {
                LOG.debug("mqtt client {} lost: publishing its will on {}", s.clientId, will.topic());
                publish(will, s.clientId);
            }
        }
        // a persistent session keeps its in-flight messages: they are resent with DUP on reconnect
        if (s.persistent) return;
        release(s);
    }

    /** Stores a persistent session whose client left, dropping the longest-offline ones beyond the limit. */
    private void keepOffline(Session s) {
        s.leftAt = clock.getAsLong();
        offline.put(s.clientId, s);
        if (s.lifetimeMillis != Session.FOREVER) {
            s.expiresAt = s.leftAt + s.lifetimeMillis;
            byExpiry.add(s);
        }
        while (offline.size() > settings.maxOfflineSessions()) {
            Session gone = offline.values().iterator().next();
            sessionsEvicted++;
            LOG.info("mqtt client {}: its stored session is dropped ({} offline sessions at most; mqtt.maxOfflineSessions), "
                    + "with {} subscriptions and {} waiting messages", gone.clientId, settings.maxOfflineSessions(),
                    gone.subscriptions.size(), gone.inflight.size() + gone.pending.size());
            dropSession(gone);
        }
    }

    /**
     * Ends the stored sessions whose clients have been away their session's lifetime
     * ({@code sessionExpirySeconds}, or an MQTT 5 client's own expiry interval) and publishes the
     * delayed wills that are due; called at every CONNECT and by the adapter's timer.
     *
     * @return how many sessions ended
     */
    public int expireSessions() {
        if (byExpiry.isEmpty() && wills.isEmpty()) return 0;
        long now = clock.getAsLong();
        while (!wills.isEmpty() && wills.first().willDueAt <= now) publishDelayedWill(wills.first());
        int ended = 0;
        while (!byExpiry.isEmpty() && byExpiry.first().expiresAt <= now) {
            Session s = byExpiry.pollFirst();
            sessionsExpired++;
            ended++;
            LOG.info("mqtt client {}: its stored session expired after {} s away ({}), with {} subscriptions and {} waiting messages",
                    s.clientId, (now - s.leftAt) / 1_000, s.expirySeconds == SERVER_EXPIRY ? "mqtt.sessionExpirySeconds"
                            : "its session expiry interval, " + s.lifetimeMillis / 1_000 + " s", s.subscriptions.size(),
                    s.inflight.size() + s.pending.size());
            dropSession(s);
        }
        return ended;
    }

    private void publishDelayedWill(Session s) {
        wills.remove(s);
        Message will = s.delayedWill;
        s.delayedWill = null;
        LOG.debug("mqtt client {}: publishing its delayed will on {}", s.clientId, will.topic());
        publish(will, s.clientId);
    }

    private void dropSession(Session s) {
        if (s.persistent) storedVersion++;
        release(s);
        for (String filter : s.subscriptions.keySet()) unroute(filter, s.clientId);
        sessions.remove(s.clientId, s);
        offline.remove(s.clientId, s);
        byExpiry.remove(s);
        if (s.delayedWill != null) publishDelayedWill(s);   // the session ended before the will's delay did
    }

    /**
     * A persistent session as it is kept across restarts of the broker: its client id, its
     * subscriptions (filter to {@link SubscriptionOptions}: for MQTT 3.1.1 just the QoS) and the
     * session expiry interval its client asked for ({@link #SERVER_EXPIRY} for an MQTT 3.1.1 session).
     */
    public record StoredSession(String clientId, Map<String, Integer> subscriptions, long expirySeconds,
                                Map<String, Integer> subscriptionIds) {
        public StoredSession {
            subscriptionIds = Map.copyOf(subscriptionIds);
        }

        /** A session whose subscriptions have no Subscription Identifier. */
        public StoredSession(String clientId, Map<String, Integer> subscriptions, long expirySeconds) {
            this(clientId, subscriptions, expirySeconds, Map.of());
        }

        /** An MQTT 3.1.1 session's. */
        public StoredSession(String clientId, Map<String, Integer> subscriptions) {
            this(clientId, subscriptions, SERVER_EXPIRY);
        }
    }

    /**
     * The persistent sessions and their subscriptions, to be kept across a restart: those of
     * clients not connected first, the one away longest first, then those of connected clients
     * (restored in this order, they are evicted in it).
     */
    public List<StoredSession> storedSessions() {
        List<StoredSession> out = new ArrayList<>();
        for (Session s : offline.values()) out.add(stored(s));
        for (Session s : sessions.values()) {
            if (s.persistent && s.online()) out.add(stored(s));
        }
        return out;
    }

    private static StoredSession stored(Session s) {
        return new StoredSession(s.clientId, Map.copyOf(s.subscriptions), s.expirySeconds,
                s.subscriptionIds == null ? Map.of() : s.subscriptionIds);
    }

    /** Changes whenever {@link #storedSessions} would return something else. */
    public long storedSessionsVersion() {
        return storedVersion;
    }

    /**
     * Brings back a persistent session kept from before a restart, as the session of a client
     * that is not connected (and left now, for its lifetime); its subscriptions within
     * {@code maxSubscriptions} and with valid filters. Nothing happens if the client id already
     * has a session or the stored one would not outlive its connection. The messages it held come
     * back with {@link #restore(StoredMessages)}.
     *
     * @return whether the session was restored
     */
    public boolean restore(StoredSession stored) {
        if (sessions.containsKey(stored.clientId())) return false;
        Session s = new Session(stored.clientId(), serial++);
        lifetime(s, Math.max(SERVER_EXPIRY, Math.min(stored.expirySeconds(), NEVER_EXPIRES)));
        if (!s.persistent) return false;
        s.inflightLimit = settings.maxInflight();
        for (Map.Entry<String, Integer> sub : stored.subscriptions().entrySet()) {
            if (s.subscriptions.size() >= settings.maxSubscriptions()) break;
            if (Topics.checkSubscription(sub.getKey(), settings.maxTopicBytes()) != null) continue;
            grant(s, sub.getKey(), sub.getValue());
            identify(s, sub.getKey(), stored.subscriptionIds().getOrDefault(sub.getKey(), 0));
        }
        sessions.put(s.clientId, s);
        storedVersion++;
        keepOffline(s);
        return true;
    }

    /**
     * What is kept of the messages across a restart ({@link StoredMessages}): the retained
     * messages but the broker's own, and the QoS 1 messages of each persistent session, in flight
     * first (they go out again without DUP: the packet ids do not outlive the broker), then
     * waiting; the sessions of clients away first, as {@link #storedSessions}. Expired ones are
     * left out. The lists are copies; the messages themselves are shared (immutable).
     */
    public StoredMessages storedMessages() {
        long now = clock.getAsLong();
        List<Message> kept = new ArrayList<>();
        for (Message m : retained.clients()) {
            if (!m.expired(now)) kept.add(m);
        }
        Map<String, List<Message>> queued = new LinkedHashMap<>();
        for (Session s : offline.values()) held(s, now, queued);
        for (Session s : sessions.values()) {
            if (s.persistent && s.online()) held(s, now, queued);
        }
        return new StoredMessages(kept, queued, now);
    }

    private static void held(Session s, long now, Map<String, List<Message>> into) {
        if (s.inflight.isEmpty() && s.pending.isEmpty()) return;
        List<Message> list = new ArrayList<>(s.inflight.size() + s.pending.size());
        for (Message m : s.inflight.values()) {
            if (!m.expired(now)) list.add(m);
        }
        for (Message m : s.pending) {
            if (!m.expired(now)) list.add(m);
        }
        if (!list.isEmpty()) into.put(s.clientId, list);
    }

    /** Changes whenever {@link #storedMessages} may return something else (the broker's own retained messages aside). */
    public long storedMessagesVersion() {
        return heldVersion;
    }

    /** What {@link #restore(StoredMessages)} brought back, and how many messages it could not. */
    public record RestoredMessages(int retained, int queued, int dropped) {
    }

    /**
     * Brings back messages kept from before a restart, after the sessions ({@link
     * #restore(StoredSession)}): retained ones within {@code maxRetained}/{@code maxRetainedBytes},
     * queued ones into their persistent session's queue (waiting to be sent when the client is
     * back) within {@code maxQueued}/{@code maxQueuedBytes}. Deadlines are taken as on a clock
     * that read {@code stored.clock()}, and moved onto this broker's. Messages on a topic no
     * longer valid (a lower {@code maxTopicBytes}), past a limit, for the broker's own topics or
     * for a client without a stored session are dropped and counted.
     */
    public RestoredMessages restore(StoredMessages stored) {
        long shift = clock.getAsLong() - stored.clock();
        int retainedCount = 0;
        int queuedCount = 0;
        int droppedCount = 0;
        for (Message m : stored.retained()) {
            if (m.retain() && !m.topic().startsWith(Topics.SYS) && Topics.checkName(m.topic(), settings.maxTopicBytes()) == null
                    && retained.put(moved(m, shift))) {
                retainedCount++;
            } else {
                droppedCount++;
            }
        }
        for (Map.Entry<String, List<Message>> q : stored.queued().entrySet()) {
            Session s = sessions.get(q.getKey());
            for (Message m : q.getValue()) {
                boolean fits = s != null && s.persistent && m.qos() == 1 && hasRoom(s, m)
                        && Topics.checkName(m.topic(), settings.maxTopicBytes()) == null;
                if (fits) {
                    s.pending.add(moved(m, shift));
                    queuedBytes += m.size();
                    queuedCount++;
                } else {
                    droppedCount++;
                }
            }
        }
        heldVersion++;
        return new RestoredMessages(retainedCount, queuedCount, droppedCount);
    }

    private static Message moved(Message m, long shift) {
        return m.expiresAt() == 0 ? m : m.with(m.properties(), Math.max(1, m.expiresAt() + shift));
    }

    /** Changes whenever {@link #hasSubscribers} may answer differently for some topic (see {@link Routes#version}). */
    public long subscriptionsVersion() {
        return routes.version();
    }

    /** Whether a message on the topic {@code name} would reach any session (online or not). */
    public boolean hasSubscribers(String name) {
        return !routes.match(name).isEmpty();
    }

    /** Sessions stored, connected or not. */
    public int sessionCount() {
        return sessions.size();
    }

    public int connectedCount() {
        return byLink.size();
    }

    /** Persistent sessions stored for clients not connected. */
    public int offlineSessionCount() {
        return offline.size();
    }

    /** Topic filters refused ({@link #REFUSED_QUOTA}) because their session already held {@code maxSubscriptions}. */
    public long subscriptionsRefusedCount() {
        return subscriptionsRefused;
    }

    /** Counts a PUBLISH or a topic filter the ACL refused (the adapter checks the ACL); returns the count so far. */
    public long countDenied() {
        return ++denied;
    }

    /** PUBLISHes and topic filters the ACL refused. */
    public long deniedCount() {
        return denied;
    }

    /** QoS 1 messages dropped, and retained ones forgotten, because their Message Expiry Interval passed before they were sent. */
    public long messagesExpiredCount() {
        return messagesExpired;
    }

    /** Messages clients published (PUBLISH packets the broker routed). */
    public long receivedCount() {
        return received;
    }

    /** PUBLISH packets sent to clients (redeliveries included). */
    public long sentCount() {
        return sent;
    }

    /** Stored sessions ended because their client was away their lifetime. */
    public long sessionsExpiredCount() {
        return sessionsExpired;
    }

    /** Bytes (payload and topic) of the QoS 1 messages sessions hold, in flight or waiting; bounded by {@code maxQueuedBytes} plus what went straight out. */
    public long queuedBytes() {
        return queuedBytes;
    }

    /** Stored sessions dropped because more than {@code maxOfflineSessions} clients were away. */
    public long sessionsEvictedCount() {
        return sessionsEvicted;
    }

    public int subscriptionCount() {
        return routes.subscriptionCount();
    }

    public int retainedCount() {
        return retained.size();
    }

    /** Bytes (payload and topic) of the retained messages kept. */
    public long retainedBytes() {
        return retained.bytes();
    }

    /** Retained messages not retained as {@code maxRetained} topics or {@code maxRetainedBytes} were kept. */
    public long retainedRefusedCount() {
        return retainedRefused;
    }

    /** QoS 1 messages dropped because a session's queue was full or sessions held {@code maxQueuedBytes}. */
    public long droppedCount() {
        return dropped;
    }

    /** Messages waiting (in flight or queued) for {@code clientId}, -1 if it has no session. */
    public int backlog(String clientId) {
        Session s = sessions.get(clientId);
        return s == null ? -1 : s.inflight.size() + s.pending.size();
    }
}
