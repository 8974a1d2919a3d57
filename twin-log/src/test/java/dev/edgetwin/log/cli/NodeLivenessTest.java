package dev.edgetwin.log.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The /proc/locks probe, on lock tables written here (the live case is in TwinctlLiveNodeTest). */
class NodeLivenessTest {
    @TempDir
    Path dir;

    private Path locks(String... lines) throws Exception {
        return Files.write(dir.resolve("locks"), List.of(lines));
    }

    @Test
    void aLockOnTheInodeOfLockMeansRunningWithItsHolder() throws Exception {
        Path lock = Files.createFile(dir.resolve("LOCK"));
        long ino = (Long) Files.getAttribute(lock, "unix:ino");
        NodeLiveness.Status s = NodeLiveness.probe(lock, locks(
                "1: FLOCK  ADVISORY  WRITE 99 fe:00:" + (ino + 1) + " 0 EOF",
                "2: POSIX  ADVISORY  WRITE 4242 fe:01:" + ino + " 0 EOF"));
        assertThat(s.state()).isEqualTo(NodeLiveness.State.RUNNING);
        assertThat(s.pid()).isEqualTo(4242);
        assertThat(s.describe()).isEqualTo("running, pid 4242");
        assertThat(s.mayBeRunning()).isTrue();
        // a waiter's line ("->") names the same inode
        assertThat(NodeLiveness.probe(lock, locks("3: -> POSIX  ADVISORY  WRITE 77 08:02:" + ino + " 0 EOF")).pid()).isEqualTo(77);
    }

    @Test
    void noLockOnItMeansStoppedAndNoLockFileMeansNeverOpened() throws Exception {
        Path lock = Files.createFile(dir.resolve("LOCK"));
        long ino = (Long) Files.getAttribute(lock, "unix:ino");
        Path table = locks("1: POSIX  ADVISORY  WRITE 4242 fe:00:" + ino + "1 0 EOF", "2: POSIX  ADVISORY  WRITE 1 fe:00:1" + ino + " 0 EOF");
        assertThat(NodeLiveness.probe(lock, table).state()).isEqualTo(NodeLiveness.State.STOPPED);
        assertThat(NodeLiveness.probe(dir.resolve("none"), table).state()).isEqualTo(NodeLiveness.State.STOPPED);
    }

    @Test
    void withoutALockTableItCannotTellAndSaysMaybe() throws Exception {
        Path lock = Files.createFile(dir.resolve("LOCK"));
        NodeLiveness.Status s = NodeLiveness.probe(lock, dir.resolve("no-proc-locks"));
        assertThat(s.state()).isEqualTo(NodeLiveness.State.UNKNOWN);
        assertThat(s.mayBeRunning()).isTrue();
    }

    @Test
    void theRealLockTableIsReadableHere() {
        assertThat(Files.isReadable(NodeLiveness.PROC_LOCKS)).as("Linux: the probe needs /proc/locks").isTrue();
        assertThat(NodeLiveness.probe(dir).state()).isEqualTo(NodeLiveness.State.STOPPED); // no projection here
    }
}
