package dev.edgetwin.log;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The batch encoder behind local appends writes exactly what EntryCodec.create writes, and fails the same way. */
class DraftEncoderTest {
    @Test
    void sameEntriesAsEntryCodecWhateverTheOriginsAndTokens() {
        List<EntryDraft> drafts = new ArrayList<>();
        String[] origins = {"edge-a", "edge-a", "cloud", "edge-a", "édge-ü", "édge-ü"};
        String[] tokens = {"", "", "t1", "t1", "", "tök"};
        for (int i = 0; i < origins.length; i++) {
            drafts.add(new EntryDraft(100 + i, new String(origins[i].toCharArray()), 1000 + i, tokens[i],
                    ("payload-" + i).getBytes(StandardCharsets.UTF_8)));
        }
        List<JournalEntry> entries = StreamChain.fromDrafts("edge/édge", 7, 42, drafts, StreamChain.DEFAULT_MAX_ENTRY_BYTES);
        long prev = 42;
        for (int i = 0; i < drafts.size(); i++) {
            EntryDraft d = drafts.get(i);
            JournalEntry expected = EntryCodec.create("edge/édge", 7 + i, d.hlc(), d.origin(), d.wallTime(), d.clientToken(), prev, d.payload());
            JournalEntry got = entries.get(i);
            assertThat(got.bytes()).isEqualTo(expected.bytes());
            assertThat(got).usingRecursiveComparison().isEqualTo(expected);
            assertThat(EntryCodec.decode(got.bytes())).usingRecursiveComparison().isEqualTo(got);
            assertThat(got.payload()).isNotSameAs(d.payload()); // the entry does not share the caller's array
            prev = got.hash();
        }
    }

    @Test
    void badDraftsFailWithTheCodecsErrors() {
        byte[] p = {1};
        assertThatThrownBy(() -> StreamChain.fromDrafts("s", 0, 0, List.of(new EntryDraft(1, "a", 1, "", p),
                new EntryDraft(2, null, 2, "", p)), 1 << 20))
                .isInstanceOfSatisfying(JournalException.class, e -> assertThat(e.code()).isEqualTo("journal:entry.invalid"))
                .hasMessageContaining("origin is null");
        assertThatThrownBy(() -> StreamChain.fromDrafts("s", 0, 0, List.of(new EntryDraft(1, "a", 1, "", p),
                new EntryDraft(2, "", 2, "", p)), 1 << 20))
                .isInstanceOfSatisfying(JournalException.class, e -> assertThat(e.code()).isEqualTo("journal:entry.invalid"));
        assertThatThrownBy(() -> StreamChain.fromDrafts("s", 0, 0, List.of(new EntryDraft(1, "a", 1, "", null)), 1 << 20))
                .isInstanceOfSatisfying(JournalException.class, e -> assertThat(e.code()).isEqualTo("journal:entry.invalid"))
                .hasMessageContaining("payload is null");
        assertThat(StreamChain.fromDrafts("x".repeat(70_000), 0, 0, List.of(), 1 << 20)).isEmpty();
    }
}
