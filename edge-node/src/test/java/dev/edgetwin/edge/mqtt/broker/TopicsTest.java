package dev.edgetwin.edge.mqtt.broker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class TopicsTest {
    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
            "a/b/c, a/b/c, true",
            "a/+/c, a/b/c, true",
            "a/+/c, a/b/d, false",
            "a/#, a, true",              // '#' includes the parent level
            "a/#, a/b/c, true",
            "#, a/b, true",
            "+, a, true",
            "+, a/b, false",
            "+/+, /a, true",             // an empty level is a level
            "a/b, a/b/, false",
            "#, $SYS/x, false",          // $-topics are not matched by a leading wildcard
            "+/x, $SYS/x, false",
            "$SYS/#, $SYS/x, true",
            "$hw/events/device/+/+/twin/+, $hw/events/device/default/lamp-1/twin/update, true",
            "$hw/events/device/+/+/twin/+, $hw/events/device/default/lamp-1/twin/update/result, false",
            "$hw/events/device/+/+/twin/+, $hw/events/device/lamp-1/twin/update, false"
    })
    void matches(String filter, String name, boolean expected) {
        assertThat(Topics.matches(filter, name)).isEqualTo(expected);
        SubscriptionTree tree = new SubscriptionTree();
        tree.subscribe(filter, "c", 1);
        assertThat(tree.match(name).containsKey("c")).as("the trie agrees").isEqualTo(expected);
    }

    @Test
    void checksNamesAndFilters() {
        assertThat(Topics.checkName("a/b", 10)).isNull();
        assertThat(Topics.checkName("a/+", 10)).contains("+");
        assertThat(Topics.checkName("a/#", 10)).isNotNull();
        assertThat(Topics.checkName("", 10)).contains("empty");
        assertThat(Topics.checkName("a\u0000b", 10)).contains("U+0000");
        assertThat(Topics.checkName("ééééé/x", 10)).contains("10 bytes");
        assertThat(Topics.checkFilter("a/+/#", 10)).isNull();
        assertThat(Topics.checkFilter("a/#/b", 10)).contains("last");
        assertThat(Topics.checkFilter("a/b#", 10)).contains("whole level");
        assertThat(Topics.checkFilter("a+/b", 10)).contains("whole level");
    }

    @Test
    void sharedSubscriptionsNameAGroupAndAFilter() {
        assertThat(Topics.isShared("$share/g/jobs/#")).isTrue();
        assertThat(Topics.isShared("$sharex/g/jobs")).isFalse();
        assertThat(Topics.checkShared("$share/workers/jobs/+/run", 100)).isNull();
        assertThat(Topics.readFilter("$share/workers/jobs/+/run")).isEqualTo("jobs/+/run");
        assertThat(Topics.readFilter("jobs/#")).isEqualTo("jobs/#");
        assertThat(Topics.checkShared("$share//jobs", 100)).contains("$share/<group>/<filter>");
        assertThat(Topics.checkShared("$share/g", 100)).contains("$share/<group>/<filter>");
        assertThat(Topics.checkShared("$share/g#/jobs", 100)).contains("group");
        assertThat(Topics.checkShared("$share/g/", 100)).contains("empty");
        assertThat(Topics.checkShared("$share/g/a/#/b", 100)).contains("last");
    }
}
