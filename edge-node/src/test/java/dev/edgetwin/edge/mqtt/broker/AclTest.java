package dev.edgetwin.edge.mqtt.broker;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AclTest {
    static final Acl ACL = Acl.parse(List.of(
            "# anonymous clients: read the membership of any node",
            "topic read $hw/events/node/+/membership/#",
            "",
            "user mapper-a",
            "topic readwrite $hw/events/device/default/lamp-1/#",
            "topic write app/out",
            "user dashboard",
            "topic read app/#",
            "pattern readwrite clients/%c/#",
            "pattern $hw/events/device/default/%u/#"), "acl");

    @Test
    void eachUserGetsItsOwnRulesAndThePatternsFilledIn() {
        Acl.Grants mapper = ACL.grants("mapper-a", "m1");
        assertThat(mapper.mayPublish("$hw/events/device/default/lamp-1/twin/update")).isTrue();
        assertThat(mapper.mayPublish("$hw/events/device/default/lamp-2/twin/update")).as("another device's twin").isFalse();
        assertThat(mapper.mayPublish("$hw/events/device/default/mapper-a/twin/update")).as("%u").isTrue();
        assertThat(mapper.mayPublish("app/out")).isTrue();
        assertThat(mapper.maySubscribe("app/out")).as("write only").isFalse();
        assertThat(mapper.mayPublish("clients/m1/state")).as("%c").isTrue();
        assertThat(mapper.mayPublish("clients/m2/state")).isFalse();
        assertThat(mapper.maySubscribe("$hw/events/node/edge-a/membership/updated")).as("anonymous rules are not a user's").isFalse();

        Acl.Grants anonymous = ACL.grants(null, "x");
        assertThat(anonymous.maySubscribe("$hw/events/node/edge-a/membership/updated")).isTrue();
        assertThat(anonymous.mayPublish("$hw/events/node/edge-a/membership/get")).as("read only").isFalse();
        assertThat(anonymous.mayPublish("$hw/events/device/default/x/twin/update")).as("no user name: no %u pattern").isFalse();
        assertThat(ACL.grants("stranger", "s").mayPublish("app/out")).as("a user without rules: only patterns").isFalse();
    }

    @Test
    void theLineMqttMdGivesForResponseInformationLetsEachClientUseItsOwnTree() {
        Acl acl = Acl.parse(List.of("pattern readwrite response/%c/#"), "acl");
        Acl.Grants asker = acl.grants(null, "asker-1");
        assertThat(asker.maySubscribe("response/asker-1/#")).isTrue();
        assertThat(asker.mayPublish("response/asker-1/time")).as("its own tree, both ways").isTrue();
        assertThat(asker.maySubscribe("response/asker-2/#")).as("another client's tree").isFalse();
        assertThat(asker.maySubscribe("response/#")).isFalse();
        // a responder publishes into the asker's tree only if a rule of its own lets it
        assertThat(acl.grants(null, "answerer").mayPublish("response/asker-1/time")).isFalse();
        assertThat(Acl.parse(List.of("pattern readwrite response/%c/#", "pattern write response/#"), "acl")
                .grants(null, "answerer").mayPublish("response/asker-1/time")).isTrue();
    }

    @Test
    void aFilterIsGrantedOnlyWhenARuleCoversEveryTopicItMatches() {
        Acl.Grants dashboard = ACL.grants("dashboard", "d");
        assertThat(dashboard.maySubscribe("app/#")).isTrue();
        assertThat(dashboard.maySubscribe("app/+/temp")).isTrue();
        assertThat(dashboard.maySubscribe("app")).as("app/# matches app itself").isTrue();
        assertThat(dashboard.maySubscribe("#")).isFalse();
        assertThat(dashboard.maySubscribe("+/out")).isFalse();

        assertThat(Acl.covers("a/+/c", "a/b/c")).isTrue();
        assertThat(Acl.covers("a/+/c", "a/+/c")).isTrue();
        assertThat(Acl.covers("a/+/c", "a/#")).isFalse();
        assertThat(Acl.covers("a/b/c", "a/+/c")).isFalse();
        assertThat(Acl.covers("a/+", "a/b/c")).isFalse();
        assertThat(Acl.covers("#", "$hw/x")).as("$ topics stay out of wildcards").isFalse();
        assertThat(Acl.covers("$hw/#", "$hw/+/x")).isTrue();
    }

    @Test
    void patternsDoNotApplyToNamesThatWouldWidenThem() {
        assertThat(ACL.grants("mapper-a", "a/b").mayPublish("clients/a/b/x")).isFalse();
        assertThat(ACL.grants("mapper-a", "+").mayPublish("clients/anything/x")).isFalse();
        assertThat(ACL.grants("#", "c").mayPublish("$hw/events/device/default/x/y")).isFalse();
    }

    @Test
    void aDenyRuleTakesPrecedenceOverWhatOtherRulesGrant() {
        Acl acl = Acl.parse(List.of("user app", "topic readwrite sensors/#", "topic deny sensors/secret/#",
                "pattern deny private/%c/#", "pattern readwrite private/#"), "acl");
        Acl.Grants g = acl.grants("app", "app-1");
        assertThat(g.hasDenials()).isTrue();
        assertThat(g.mayPublish("sensors/temp")).isTrue();
        assertThat(g.mayPublish("sensors/secret/key")).isFalse();
        assertThat(g.maySubscribe("sensors/#")).as("granted: deliveries on denied topics are filtered").isTrue();
        assertThat(g.maySubscribe("sensors/secret/#")).as("wholly denied").isFalse();
        assertThat(g.maySubscribe("sensors/secret/key")).isFalse();
        assertThat(g.maySubscribe("$share/g/sensors/secret/#")).isFalse();
        assertThat(g.isDenied("sensors/secret/key")).isTrue();
        assertThat(g.isDenied("sensors/temp")).isFalse();
        assertThat(g.isDenied("private/app-1/x")).as("the pattern filled in").isTrue();
        assertThat(g.mayPublish("private/app-2/x")).isTrue();
        assertThat(acl.grants("app", "a/b").isDenied("private/a/b/x")).as("a pattern with an unsafe name does not apply").isFalse();
        assertThat(ACL.grants("mapper-a", "c").hasDenials()).isFalse();
    }

    @Test
    void badLinesAreRefusedWithTheirNumber() {
        assertRefused(List.of("topic read a/#/b"), "acl line 1: 'a/#/b' is not a topic filter");
        assertRefused(List.of("# nothing", "user"), "acl line 2: user needs a name");
        assertRefused(List.of("topic"), "acl line 1: a rule needs a topic");
        assertRefused(List.of("allow all"), "acl line 1: expected user, topic or pattern, got 'allow'");
        assertRefused(List.of("user a"), "acl has no topic or pattern rule");
        assertRefused(List.of("pattern write x/%u+/y"), "is not a topic filter");
    }

    private static void assertRefused(List<String> lines, String why) {
        assertThatThrownBy(() -> Acl.parse(lines, "acl")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(why);
    }
}
