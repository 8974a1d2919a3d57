package dev.edgetwin.edge.mqtt.broker;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SubscriptionTreeTest {
    @Test
    void highestQosOfOverlappingSubscriptionsWins() {
        SubscriptionTree t = new SubscriptionTree();
        t.subscribe("a/+", "c1", 0);
        t.subscribe("a/#", "c1", 1);
        t.subscribe("a/b", "c2", 0);
        assertThat(t.match("a/b")).isEqualTo(Map.of("c1", 1, "c2", 0));
        assertThat(t.size()).isEqualTo(3);
    }

    @Test
    void unsubscribePrunesAndResubscribeReplaces() {
        SubscriptionTree t = new SubscriptionTree();
        t.subscribe("a/b/c", "c1", 1);
        t.subscribe("a/b/c", "c1", 0);
        assertThat(t.size()).isEqualTo(1);
        assertThat(t.match("a/b/c")).isEqualTo(Map.of("c1", 0));
        assertThat(t.unsubscribe("a/b/c", "c1")).isTrue();
        assertThat(t.unsubscribe("a/b/c", "c1")).isFalse();
        assertThat(t.match("a/b/c")).isEmpty();
        assertThat(t.size()).isZero();
    }

    /** Deep KubeEdge topics, empty levels, '#' on the parent level, a topic nobody subscribes near. */
    @Test
    void deepTopicsEmptyLevelsAndDeadEnds() {
        SubscriptionTree t = new SubscriptionTree();
        t.subscribe("$hw/events/device/+/+/twin/update/result", "mapper", 0);
        t.subscribe("$hw/events/device/default/lamp-1/#", "lamp", 1);
        t.subscribe("a//b/", "empty", 1);
        assertThat(t.match("$hw/events/device/default/lamp-1/twin/update/result")).isEqualTo(Map.of("mapper", 0, "lamp", 1));
        assertThat(t.match("$hw/events/device/default/lamp-2/twin/update/result")).isEqualTo(Map.of("mapper", 0));
        assertThat(t.match("$hw/events/device/default/lamp-1")).isEqualTo(Map.of("lamp", 1));
        assertThat(t.match("$hw/events/device/default/lamp-2/twin/update")).isEmpty();
        assertThat(t.match("$hw/events/device/default/lamp-2/twin/update/result/")).isEmpty();
        assertThat(t.match("a//b/")).isEqualTo(Map.of("empty", 1));
        assertThat(t.match("a//b")).isEmpty();
        assertThat(t.match("a/b/")).isEmpty();
        assertThat(t.match("x/y/z")).isEmpty();
    }

    /** The trie routes exactly like the reference matcher, on random filters and names. */
    @Test
    void agreesWithTheReferenceMatcher() {
        Random random = new Random(42);
        String[] words = {"a", "b", "", "$x"};
        for (int round = 0; round < 2_000; round++) {
            SubscriptionTree t = new SubscriptionTree();
            String[] filters = new String[4];
            for (int i = 0; i < filters.length; i++) {
                filters[i] = randomFilter(random, words);
                t.subscribe(filters[i], "c" + i, 1);
            }
            String name = randomName(random, words);
            Map<String, Integer> routed = t.match(name);
            for (int i = 0; i < filters.length; i++) {
                assertThat(routed.containsKey("c" + i)).as(filters[i] + " vs " + name).isEqualTo(Topics.matches(filters[i], name));
            }
        }
    }

    private static String randomFilter(Random r, String[] words) {
        StringBuilder sb = new StringBuilder();
        int levels = 1 + r.nextInt(3);
        for (int i = 0; i < levels; i++) {
            if (i > 0) sb.append('/');
            int k = r.nextInt(6);
            if (k == 4) {
                sb.append('+');
            } else if (k == 5) {
                sb.append('#');
                break;
            } else {
                sb.append(words[r.nextInt(words.length)].replace("$", i == 0 ? "$" : ""));
            }
        }
        return sb.toString();
    }

    private static String randomName(Random r, String[] words) {
        StringBuilder sb = new StringBuilder();
        int levels = 1 + r.nextInt(5);
        for (int i = 0; i < levels; i++) {
            if (i > 0) sb.append('/');
            sb.append(words[r.nextInt(words.length)].replace("$", i == 0 ? "$" : ""));
        }
        return sb.length() == 0 ? "a" : sb.toString();
    }
}
