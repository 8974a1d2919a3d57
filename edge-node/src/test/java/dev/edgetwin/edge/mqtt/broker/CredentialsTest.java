package dev.edgetwin.edge.mqtt.broker;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CredentialsTest {
    @Test
    void plainAndHashedPasswords() {
        String hash = HexFormat.of().formatHex(Credentials.sha256("s3cret".getBytes(StandardCharsets.UTF_8)));
        Credentials c = Credentials.parse(List.of("# mappers", "", "mapper:pw:with:colons", "app:sha256:" + hash), "users");
        assertThat(c.anonymous()).isFalse();
        assertThat(c.accepts("mapper", "pw:with:colons")).isTrue();
        assertThat(c.accepts("app", "s3cret")).isTrue();
        assertThat(c.accepts("app", "wrong")).isFalse();
        assertThat(c.accepts("nobody", "s3cret")).isFalse();
        assertThat(c.accepts(null, null)).isFalse();
        assertThat(Credentials.ANONYMOUS.accepts(null, null)).isTrue();
    }

    @Test
    void badFilesAreRefusedWithTheLine() {
        assertThatThrownBy(() -> Credentials.parse(List.of("nopassword"), "f")).hasMessageContaining("f line 1");
        assertThatThrownBy(() -> Credentials.parse(List.of("a:sha256:zz"), "f")).hasMessageContaining("64 hex");
        assertThatThrownBy(() -> Credentials.parse(List.of("a:x", "a:y"), "f")).hasMessageContaining("twice");
        assertThatThrownBy(() -> Credentials.parse(List.of("# only a comment"), "f")).hasMessageContaining("no user");
    }
}
