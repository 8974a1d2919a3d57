package dev.edgetwin.sync.sim;

/**
 * What the simulated network and nodes do wrong, per message or per simulated second.
 *
 * @param drop        probability a message is lost
 * @param duplicate   probability a message is delivered twice
 * @param corrupt     probability a binary message has one byte changed
 * @param reorder     messages of one direction may overtake each other
 * @param maxDelayMs  largest delivery delay
 * @param cut         per second: probability one connection is cut (one or both ends notice)
 * @param restart     per second: probability one node restarts (its writer queue is lost)
 * @param partition   per second: probability one edge is partitioned for a few seconds
 */
record Faults(double drop, double duplicate, double corrupt, boolean reorder, int maxDelayMs, double cut, double restart, double partition) {
    static final Faults NONE = new Faults(0, 0, 0, false, 5, 0, 0, 0);

    @Override
    public String toString() {
        return String.format("drop=%.3f dup=%.3f corrupt=%.3f reorder=%s delay<=%dms cut=%.2f/s restart=%.2f/s partition=%.2f/s",
                drop, duplicate, corrupt, reorder, maxDelayMs, cut, restart, partition);
    }
}
