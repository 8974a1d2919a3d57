package dev.edgetwin.gpio.chardev;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The v2 uAPI structs byte by byte. The expected bytes are written here with literal offsets, taken
 * from {@code sizeof}/{@code offsetof} of linux-libc-dev 6.1's {@code <linux/gpio.h>} compiled with gcc
 * (x86-64), not from {@link V2Structs}' constants, so a wrong constant fails.
 */
class V2StructsTest {
    @Test
    void sizesAndOffsetsAreTheKernels() {
        assertThat(V2Structs.LINE_REQUEST_SIZE).isEqualTo(592);
        assertThat(V2Structs.LINE_CONFIG_SIZE).isEqualTo(8 + 4 + 5 * 4 + 10 * 24).isEqualTo(272);
        assertThat(V2Structs.CONFIG_ATTRIBUTE_SIZE).isEqualTo(24);
        assertThat(V2Structs.LINE_VALUES_SIZE).isEqualTo(16);
        assertThat(V2Structs.LINE_EVENT_SIZE).isEqualTo(8 + 4 * 4 + 6 * 4).isEqualTo(48);
        assertThat(V2Structs.REQUEST_CONSUMER).isEqualTo(256);
        assertThat(V2Structs.REQUEST_CONFIG).isEqualTo(288);
        assertThat(V2Structs.REQUEST_NUM_LINES).isEqualTo(560);
        assertThat(V2Structs.REQUEST_EVENT_BUFFER_SIZE).isEqualTo(564);
        assertThat(V2Structs.REQUEST_FD).isEqualTo(588).isEqualTo(V2Structs.LINE_REQUEST_SIZE - 4);
        assertThat(V2Structs.CONFIG_NUM_ATTRS).isEqualTo(8);
        assertThat(V2Structs.CONFIG_ATTRS).isEqualTo(32);
        assertThat(V2Structs.REQUEST_CONFIG + V2Structs.CONFIG_ATTRS + 10 * 24).isEqualTo(V2Structs.REQUEST_NUM_LINES);
    }

    @Test
    void flagsAndIdsAreTheKernels() {
        assertThat(V2Structs.FLAG_ACTIVE_LOW).isEqualTo(0x2);
        assertThat(V2Structs.FLAG_INPUT).isEqualTo(0x4);
        assertThat(V2Structs.FLAG_OUTPUT).isEqualTo(0x8);
        assertThat(V2Structs.FLAG_EDGE_RISING).isEqualTo(0x10);
        assertThat(V2Structs.FLAG_EDGE_FALLING).isEqualTo(0x20);
        assertThat(V2Structs.FLAG_BIAS_PULL_UP).isEqualTo(0x100);
        assertThat(V2Structs.FLAG_BIAS_PULL_DOWN).isEqualTo(0x200);
        assertThat(V2Structs.FLAG_BIAS_DISABLED).isEqualTo(0x400);
        assertThat(List.of(V2Structs.ATTR_FLAGS, V2Structs.ATTR_OUTPUT_VALUES, V2Structs.ATTR_DEBOUNCE)).containsExactly(1, 2, 3);
        assertThat(List.of(V2Structs.EVENT_RISING_EDGE, V2Structs.EVENT_FALLING_EDGE)).containsExactly(1, 2);
    }

    @Test
    void ioctlNumbersFollowTheIowrFormula() {
        // the values gcc prints for the header's macros
        assertThat(V2Structs.GET_LINE_IOCTL).isEqualTo(0xC250B407);
        assertThat(V2Structs.GET_VALUES_IOCTL).isEqualTo(0xC010B40E);
        assertThat(V2Structs.SET_VALUES_IOCTL).isEqualTo(0xC010B40F);
        // two more of the header's ioctls, to check the formula on other sizes and numbers
        assertThat(V2Structs.iowr(0xB4, 0x05, 256)).as("GPIO_V2_GET_LINEINFO_IOCTL").isEqualTo(0xC100B405);
        assertThat(V2Structs.iowr(0xB4, 0x0D, 272)).as("GPIO_V2_LINE_SET_CONFIG_IOCTL").isEqualTo(0xC110B40D);
        int get = V2Structs.GET_LINE_IOCTL;
        assertThat(get >>> 30).as("dir: read|write").isEqualTo(3);
        assertThat((get >>> 16) & 0x3FFF).as("size").isEqualTo(592);
        assertThat((get >>> 8) & 0xFF).as("type").isEqualTo(0xB4);
        assertThat(get & 0xFF).as("nr").isEqualTo(0x07);
        assertThatThrownBy(() -> V2Structs.iowr(0xB4, 1, 1 << 14)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anOutputRequestWithInitialValueAndActiveLow() {
        ByteBuffer request = V2Structs.lineRequest(18, "default/lamp-1 powerstatus",
                V2Structs.FLAG_OUTPUT | V2Structs.FLAG_ACTIVE_LOW, List.of(V2Structs.Attribute.outputValue(true)));

        byte[] expected = new byte[592];
        expected[0] = 18;                                       // offsets[0]
        byte[] consumer = "default/lamp-1 powerstatus".getBytes();
        System.arraycopy(consumer, 0, expected, 256, consumer.length); // consumer, NUL after it
        expected[288] = 0x0A;                                   // config.flags = OUTPUT | ACTIVE_LOW
        expected[296] = 1;                                      // config.num_attrs
        expected[320] = 2;                                      // attrs[0].attr.id = OUTPUT_VALUES
        expected[328] = 1;                                      // attrs[0].attr.values: line 0 active
        expected[336] = 1;                                      // attrs[0].mask: line 0
        expected[560] = 1;                                      // num_lines
        assertThat(request.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
        assertThat(request.array()).isEqualTo(expected);
    }

    @Test
    void anInputRequestWithBothEdgesPullUpAndDebounce() {
        ByteBuffer request = V2Structs.lineRequest(0x1234, "button",
                V2Structs.FLAG_INPUT | V2Structs.FLAG_EDGE_RISING | V2Structs.FLAG_EDGE_FALLING | V2Structs.FLAG_BIAS_PULL_UP,
                List.of(V2Structs.Attribute.debounce(5000)));

        byte[] expected = new byte[592];
        expected[0] = 0x34;                                     // offsets[0] = 0x1234, little-endian
        expected[1] = 0x12;
        System.arraycopy("button".getBytes(), 0, expected, 256, 6);
        expected[288] = 0x34;                                   // flags 0x134 = INPUT | EDGE_RISING | EDGE_FALLING | BIAS_PULL_UP
        expected[289] = 0x01;
        expected[296] = 1;
        expected[320] = 3;                                      // DEBOUNCE
        expected[328] = (byte) 0x88;                            // debounce_period_us = 5000 = 0x1388
        expected[329] = 0x13;
        expected[336] = 1;
        expected[560] = 1;
        assertThat(request.array()).isEqualTo(expected);
        assertThatThrownBy(() -> V2Structs.Attribute.debounce(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSecondAttributeIsTwentyFourBytesOn() {
        ByteBuffer request = V2Structs.lineRequest(1, "x", V2Structs.FLAG_INPUT,
                List.of(new V2Structs.Attribute(V2Structs.ATTR_FLAGS, V2Structs.FLAG_ACTIVE_LOW), V2Structs.Attribute.debounce(1)));
        assertThat(request.getInt(296)).isEqualTo(2);
        assertThat(request.getInt(320)).isEqualTo(1);
        assertThat(request.getLong(328)).isEqualTo(2);
        assertThat(request.getInt(344)).isEqualTo(3);
        assertThat(request.getLong(352)).isEqualTo(1);
        assertThat(request.getLong(360)).isEqualTo(1);
    }

    @Test
    void theConsumerIsCutToThirtyOneBytesOfPrintableAscii() {
        String longName = "namespace-with-a-long-name/device-with-a-long-name powerstatus";
        ByteBuffer request = V2Structs.lineRequest(1, longName, V2Structs.FLAG_INPUT, List.of());
        byte[] consumer = new byte[32];
        request.get(256, consumer);
        assertThat(new String(consumer, 0, 31)).isEqualTo(longName.substring(0, 31));
        assertThat(consumer[31]).as("always NUL-terminated").isZero();
        assertThat(V2Structs.consumerBytes("lämp\n1")).isEqualTo("l?mp?1".getBytes());
    }

    @Test
    void theKernelsFdIsReadFromTheEndOfTheRequest() {
        ByteBuffer request = V2Structs.lineRequest(1, "x", V2Structs.FLAG_INPUT, List.of());
        request.put(588, (byte) 7).put(589, (byte) 1);
        assertThat(V2Structs.requestFd(request)).isEqualTo(0x107);
    }

    @Test
    void lineValues() {
        ByteBuffer values = V2Structs.lineValues(1, 1);
        assertThat(values.array()).containsExactly(1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0);
        values.put(0, (byte) 0).put(7, (byte) 0x80);
        assertThat(V2Structs.valueBits(values)).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void eventsAreDecodedBackToBack() {
        byte[] bytes = new byte[96];
        bytes[48 + 0] = 0x08;                                   // timestamp_ns = 0x0102030405060708
        bytes[48 + 1] = 0x07;
        bytes[48 + 2] = 0x06;
        bytes[48 + 3] = 0x05;
        bytes[48 + 4] = 0x04;
        bytes[48 + 5] = 0x03;
        bytes[48 + 6] = 0x02;
        bytes[48 + 7] = 0x01;
        bytes[48 + 8] = 2;                                      // id: falling edge
        bytes[48 + 12] = 23;                                    // offset
        bytes[48 + 16] = 7;                                     // seqno
        bytes[48 + 20] = 3;                                     // line_seqno
        bytes[8] = 1;                                           // event 0: rising edge, the rest zero
        ByteBuffer events = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);

        V2Structs.LineEvent falling = V2Structs.event(events, 1);
        assertThat(falling).isEqualTo(new V2Structs.LineEvent(0x0102030405060708L, 2, 23, 7, 3));
        assertThat(falling.active()).isFalse();
        assertThat(V2Structs.event(events, 0).active()).isTrue();
        bytes[8] = 9;
        assertThatThrownBy(() -> V2Structs.event(events, 0)).hasMessageContaining("id 9");
    }
}
