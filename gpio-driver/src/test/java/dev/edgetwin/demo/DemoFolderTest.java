package dev.edgetwin.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DemoFolderTest {
    @TempDir
    Path dir;

    @Test
    void aFolderThatIsNotADemosIsNeitherUsedNorWiped() throws Exception {
        Path mine = Files.createDirectories(dir.resolve("mine"));
        Files.writeString(mine.resolve("thesis.tex"), "precious");
        assertThatThrownBy(() -> DemoFolder.prepare(mine, true)).hasMessageContaining("not a demo folder");
        assertThat(mine.resolve("thesis.tex")).exists();
    }

    @Test
    void wipeEmptiesADemoFolderAndKeepsItUsable() throws Exception {
        DemoFolder folder = DemoFolder.prepare(dir.resolve("demo"), false);
        Files.createDirectories(folder.nodeData("edge-a").resolve("journal"));
        Files.writeString(folder.log("edge-a"), "old run\n");
        DemoFolder again = DemoFolder.prepare(dir.resolve("demo"), true);
        assertThat(again.nodeData("edge-a")).doesNotExist();
        assertThat(again.log("edge-a")).doesNotExist();
        assertThat(again.root().resolve("logs")).isDirectory();
        assertThat(again.root().resolve(DemoFolder.MARKER)).exists();
        assertThat(DemoFolder.prepare(Files.createDirectories(dir.resolve("empty")), true).root()).isDirectory();
    }

    @Test
    void tokensAreMadeOnceReadableByTheOwnerOnlyAndKeptAcrossRuns() throws Exception {
        DemoFolder folder = DemoFolder.prepare(dir.resolve("demo"), false);
        Map<String, String> first = folder.tokens(List.of("edge-a", "edge-b"));
        assertThat(first).containsOnlyKeys("edge-a", "edge-b");
        assertThat(first.values()).allSatisfy(t -> assertThat(t).hasSize(32)).doesNotHaveDuplicates();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.tokenFile()))).isEqualTo("rw-------");
        assertThat(Files.readString(folder.tokenFile())).contains("edge-a " + first.get("edge-a"));
        assertThat(DemoFolder.prepare(dir.resolve("demo"), false).tokens(List.of("edge-a", "edge-b"))).isEqualTo(first);
        Map<String, String> grown = folder.tokens(List.of("edge-a", "edge-b", "edge-c"));
        assertThat(grown).containsAllEntriesOf(first).containsKey("edge-c");
    }
}
