package dev.edgetwin.log.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A command's patch is a snapshot of the caller's map: unmodifiable, in order, nulls kept. */
class PatchMapsTest {
    private static final DeviceId ID = new DeviceId("default", "lamp-1");
    private static final JsonNode ON = JsonNodeFactory.instance.textNode("ON");

    @Test
    void laterChangesToTheCallersMapDoNotShow() {
        for (int n : new int[]{1, 2, 5}) {
            Map<String, JsonNode> given = new LinkedHashMap<>();
            for (int i = n; i > 0; i--) given.put("p" + i, i == 2 ? null : JsonNodeFactory.instance.numberNode(i));
            Map<String, JsonNode> before = new LinkedHashMap<>(given);
            TwinCommand.PatchReported c = new TwinCommand.PatchReported(ID, given);
            given.put("p9", ON);
            given.remove("p1");
            assertThat(c.patch()).containsExactlyEntriesOf(before);
            assertThatThrownBy(() -> c.patch().put("x", ON)).isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Test
    void aOneEntryMapKeepsItsNullAndAnImmutableOneIsKeptAsItIs() {
        Map<String, JsonNode> clear = new HashMap<>();
        clear.put("power", null);
        Map<String, JsonNode> copied = new TwinCommand.PatchDesired(ID, clear).patch();
        assertThat(copied).containsEntry("power", null).hasSize(1);
        assertThatThrownBy(() -> copied.put("power", ON)).isInstanceOf(UnsupportedOperationException.class);

        Map<String, JsonNode> single = Collections.singletonMap("power", ON);
        assertThat(new TwinCommand.PatchDesired(ID, single).patch()).isSameAs(single);
        assertThat(new TwinCommand.PatchDesired(ID, null).patch()).isEmpty();
        assertThat(new TwinCommand.PatchDesired(ID, Map.of()).patch()).isEmpty();
    }
}
