package dev.edgetwin.log.chronicle;

/** The journal's background threads (interval fsync, page warming): daemons, started at once. */
final class DaemonThread {
    private DaemonThread() {
    }

    static Thread start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
