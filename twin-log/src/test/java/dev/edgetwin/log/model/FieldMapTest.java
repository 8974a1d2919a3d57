package dev.edgetwin.log.model;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** FieldMap behaves as the sorted TreeMap it replaces: same entries, order, equality and hash. */
class FieldMapTest {
    private static final List<String> NAMES = List.of("a", "b", "mode", "power", "temperature", "Z", "ä", "level", "");

    @Property(tries = 200)
    void writesAndRemovalsMatchATreeMap(@ForAll @Size(max = 40) List<@IntRange(min = 0, max = 99) Integer> ops) {
        FieldMap map = FieldMap.EMPTY;
        TreeMap<String, Field> tree = new TreeMap<>();
        long hlc = 0;
        for (int op : ops) {
            String name = NAMES.get(op % NAMES.size());
            if (op < 80) {
                Field f = new Field(new Stamp(++hlc, "edge-" + (op % 3)), op % 5 == 0 ? null : JsonValues.text("v" + op));
                map = map.with(name, f);
                tree.put(name, f);
            } else {
                Stamp cut = new Stamp(hlc - op % 7, "edge-1");
                map = map.newerThan(cut);
                tree.entrySet().removeIf(e -> e.getValue().stamp().compareTo(cut) <= 0);
            }
            assertThat(map).isEqualTo(tree);
            assertThat(tree).isEqualTo(map);
            assertThat(map.hashCode()).isEqualTo(tree.hashCode());
            assertThat(new ArrayList<>(map.keySet())).isEqualTo(new ArrayList<>(tree.keySet()));
            List<String> visited = new ArrayList<>();
            map.forEach((k, v) -> visited.add(k));
            assertThat(visited).isEqualTo(new ArrayList<>(tree.keySet()));
            for (String n : NAMES) {
                assertThat(map.get(n)).isEqualTo(tree.get(n));
                assertThat(map.containsKey(n)).isEqualTo(tree.containsKey(n));
            }
        }
        assertThat(FieldMap.copyOf(tree)).isEqualTo(map);
    }

    @Test
    void withLeavesTheOriginalUnchanged() {
        Field one = new Field(new Stamp(1, "a"), JsonValues.text("1"));
        Field two = new Field(new Stamp(2, "a"), JsonValues.text("2"));
        FieldMap m = FieldMap.EMPTY.with("p", one);
        FieldMap n = m.with("p", two).with("q", one);
        assertThat(m).isEqualTo(Map.of("p", one));
        assertThat(n).isEqualTo(Map.of("p", two, "q", one));
        assertThat(FieldMap.ofSorted(new String[] {"q", "p"}, new Field[] {one, two})).isNull();
        assertThat(FieldMap.ofSorted(new String[] {"p", "p"}, new Field[] {one, two})).isNull();
        assertThat(FieldMap.ofSorted(new String[] {"p", "q"}, new Field[] {one, two})).isEqualTo(Map.of("p", one, "q", two));
    }
}
