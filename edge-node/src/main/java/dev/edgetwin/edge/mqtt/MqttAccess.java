package dev.edgetwin.edge.mqtt;

import dev.edgetwin.edge.mqtt.broker.Acl;
import dev.edgetwin.edge.mqtt.broker.Credentials;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Who may connect to the embedded broker and what each client may do, as it stands now: the
 * users and the ACL, which a reload ({@link EmbeddedBroker#reloadAccess}, SIGHUP) replaces while
 * the broker runs. Each replacement has a new {@link #version}, at which connections take their
 * grants anew; the live connections lose the subscriptions the new ACL no longer covers. Owned
 * by the broker's event loop.
 */
final class MqttAccess {
    private final Set<BrokerConnection> connections = Collections.newSetFromMap(new IdentityHashMap<>());
    private Credentials users;
    private Acl acl;
    private long version;

    MqttAccess(Credentials users, Acl acl) {
        this.users = users;
        this.acl = acl;
    }

    Credentials users() {
        return users;
    }

    /** The ACL, or null: any client may use any topic. */
    Acl acl() {
        return acl;
    }

    /** Changes with every {@link #replace}: grants taken at an older one are out of date. */
    long version() {
        return version;
    }

    void register(BrokerConnection c) {
        connections.add(c);
    }

    void unregister(BrokerConnection c) {
        connections.remove(c);
    }

    /** The connections open now (a copy). */
    List<BrokerConnection> connections() {
        return List.copyOf(connections);
    }

    /**
     * Puts new users and a new ACL in force: new CONNECTs are checked against the users, every
     * connection's next PUBLISH or SUBSCRIBE against the ACL, and each live connection loses its
     * subscriptions the ACL no longer covers.
     *
     * @return how many subscriptions were revoked
     */
    int replace(Credentials users, Acl acl) {
        this.users = users;
        this.acl = acl;
        version++;
        int revoked = 0;
        for (BrokerConnection c : connections()) revoked += c.revokeUncovered();
        return revoked;
    }
}
