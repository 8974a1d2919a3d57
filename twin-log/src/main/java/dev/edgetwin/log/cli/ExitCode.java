package dev.edgetwin.log.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exit codes of twinctl — a contract for scripts, listed in {@code twinctl --help} and
 * twin-log/TWINCTL.md. Picocli's own codes (0 success, 2 usage) are kept.
 */
final class ExitCode {
    /** The command did what was asked; verify found nothing wrong. */
    static final int OK = 0;
    /** verify found a problem (damaged journal, replica that is not a prefix, projection unequal to a rebuild). */
    static final int VERIFY_FAILED = 1;
    /** Bad command line: unknown option, bad value, missing argument. */
    static final int USAGE = 2;
    /** The data directory cannot be read as a node's: missing, no journal, journal damaged (run verify). */
    static final int DATA = 3;
    /** rebuild refused: the node owning the data directory is running. */
    static final int NODE_RUNNING = 4;
    /** The device or journal position asked for does not exist (at that moment), or was trimmed. */
    static final int NOT_FOUND = 5;
    /** Standard output could not be written (a closed pipe, a full disk): the output is incomplete. */
    static final int OUTPUT = 6;
    /** An unexpected internal error (a bug): the stack trace goes to stderr. */
    static final int INTERNAL = 70;

    /** The "Exit codes" section of every command's help. */
    static Map<String, String> help() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(Integer.toString(OK), "success; verify: everything checked is intact");
        m.put(Integer.toString(VERIFY_FAILED), "verify found a problem (the first broken position and its cause are printed)");
        m.put(Integer.toString(USAGE), "usage error (bad option or value)");
        m.put(Integer.toString(DATA), "data directory unreadable (missing, not a node's, or its journal is damaged: run verify)");
        m.put(Integer.toString(NODE_RUNNING), "rebuild refused: the node is running");
        m.put(Integer.toString(NOT_FOUND), "device or journal position not found (or trimmed by retention)");
        m.put(Integer.toString(OUTPUT), "output could not be written (closed pipe, full disk): it is incomplete");
        m.put(Integer.toString(INTERNAL), "internal error");
        return m;
    }

    private ExitCode() {
    }
}
