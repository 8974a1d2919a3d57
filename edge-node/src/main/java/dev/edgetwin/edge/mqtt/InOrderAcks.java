package dev.edgetwin.edge.mqtt;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * Sends the PUBACKs of one connection in the order the PUBLISHes arrived (MQTT 3.1.1 section
 * 4.6), each only once its message is handled — a twin update's only once it is in the
 * journal. Confined to the connection's event loop; the futures must complete there.
 */
final class InOrderAcks {
    private record Pending(CompletableFuture<Void> handled, Runnable ack) {
    }

    private final ArrayDeque<Pending> queue = new ArrayDeque<>();

    void add(CompletableFuture<Void> handled, Runnable ack) {
        queue.add(new Pending(handled, ack));
        if (handled.isDone()) {
            flush();
        } else {
            handled.whenComplete((v, t) -> flush());
        }
    }

    private void flush() {
        while (!queue.isEmpty() && queue.peek().handled().isDone()) queue.poll().ack().run();
    }

    int pending() {
        return queue.size();
    }
}
