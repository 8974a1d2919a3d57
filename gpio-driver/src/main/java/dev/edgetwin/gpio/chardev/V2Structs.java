package dev.edgetwin.gpio.chardev;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The Linux GPIO character device's <b>v2 uAPI</b> structs as bytes: encoding a line request and
 * line values, decoding line events. Pure, no I/O. Every number is from {@code include/uapi/linux/gpio.h}
 * (kernel 5.10+; checked against linux-libc-dev 6.1's {@code /usr/include/linux/gpio.h}, and the sizes
 * and offsets against {@code sizeof}/{@code offsetof} from gcc on that header). Buffers are
 * little-endian: the byte order of every board this backend targets (x86-64, arm64, armv6/7, riscv64).
 *
 * <pre>
 * struct gpio_v2_line_request {          // 592 bytes
 *     __u32 offsets[64];                 //   0
 *     char consumer[32];                 // 256
 *     struct gpio_v2_line_config config; // 288 (272 bytes)
 *     __u32 num_lines;                   // 560
 *     __u32 event_buffer_size;           // 564
 *     __u32 padding[5];                  // 568
 *     __s32 fd;                          // 588, set by the kernel
 * };
 * struct gpio_v2_line_config {           // 272 bytes
 *     __aligned_u64 flags;               //   0
 *     __u32 num_attrs;                   //   8
 *     __u32 padding[5];                  //  12
 *     struct gpio_v2_line_config_attribute attrs[10]; // 32, 24 bytes each
 * };
 * struct gpio_v2_line_config_attribute { // 24 bytes
 *     struct gpio_v2_line_attribute { __u32 id; __u32 padding;
 *         union { __aligned_u64 flags; __aligned_u64 values; __u32 debounce_period_us; }; } attr; // 0, 4, 8
 *     __aligned_u64 mask;                //  16: which lines of the request (bit i = offsets[i])
 * };
 * struct gpio_v2_line_values { __aligned_u64 bits; __aligned_u64 mask; };   // 16 bytes
 * struct gpio_v2_line_event { __aligned_u64 timestamp_ns; __u32 id; __u32 offset; __u32 seqno;
 *     __u32 line_seqno; __u32 padding[6]; };                                 // 48 bytes
 * </pre>
 */
final class V2Structs {
    static final int LINES_MAX = 64;           // GPIO_V2_LINES_MAX
    static final int NAME_SIZE = 32;           // GPIO_MAX_NAME_SIZE
    static final int NUM_ATTRS_MAX = 10;       // GPIO_V2_LINE_NUM_ATTRS_MAX

    static final int LINE_REQUEST_SIZE = 592;
    static final int LINE_CONFIG_SIZE = 272;
    static final int CONFIG_ATTRIBUTE_SIZE = 24;
    static final int LINE_VALUES_SIZE = 16;
    static final int LINE_EVENT_SIZE = 48;

    static final int REQUEST_CONSUMER = 4 * LINES_MAX;                         // 256
    static final int REQUEST_CONFIG = REQUEST_CONSUMER + NAME_SIZE;            // 288
    static final int REQUEST_NUM_LINES = REQUEST_CONFIG + LINE_CONFIG_SIZE;    // 560
    static final int REQUEST_EVENT_BUFFER_SIZE = REQUEST_NUM_LINES + 4;        // 564
    static final int REQUEST_FD = REQUEST_EVENT_BUFFER_SIZE + 4 + 4 * 5;       // 588
    static final int CONFIG_NUM_ATTRS = 8;
    static final int CONFIG_ATTRS = 32;

    /** {@code enum gpio_v2_line_flag}. */
    static final long FLAG_ACTIVE_LOW = 1L << 1;
    static final long FLAG_INPUT = 1L << 2;
    static final long FLAG_OUTPUT = 1L << 3;
    static final long FLAG_EDGE_RISING = 1L << 4;
    static final long FLAG_EDGE_FALLING = 1L << 5;
    static final long FLAG_BIAS_PULL_UP = 1L << 8;
    static final long FLAG_BIAS_PULL_DOWN = 1L << 9;
    static final long FLAG_BIAS_DISABLED = 1L << 10;

    /** {@code enum gpio_v2_line_attr_id}. */
    static final int ATTR_FLAGS = 1;
    static final int ATTR_OUTPUT_VALUES = 2;
    static final int ATTR_DEBOUNCE = 3;

    /** {@code enum gpio_v2_line_event_id}: rising is inactive to active (logical, after active-low). */
    static final int EVENT_RISING_EDGE = 1;
    static final int EVENT_FALLING_EDGE = 2;

    /** The ioctl type of every GPIO chip ioctl: the header writes {@code 0xB4} in each. */
    static final int IOCTL_TYPE = 0xB4;
    /** {@code GPIO_V2_GET_LINE_IOCTL = _IOWR(0xB4, 0x07, struct gpio_v2_line_request)} = 0xC250B407. */
    static final int GET_LINE_IOCTL = iowr(IOCTL_TYPE, 0x07, LINE_REQUEST_SIZE);
    /** {@code GPIO_V2_LINE_GET_VALUES_IOCTL = _IOWR(0xB4, 0x0E, struct gpio_v2_line_values)} = 0xC010B40E. */
    static final int GET_VALUES_IOCTL = iowr(IOCTL_TYPE, 0x0E, LINE_VALUES_SIZE);
    /** {@code GPIO_V2_LINE_SET_VALUES_IOCTL = _IOWR(0xB4, 0x0F, struct gpio_v2_line_values)} = 0xC010B40F. */
    static final int SET_VALUES_IOCTL = iowr(IOCTL_TYPE, 0x0F, LINE_VALUES_SIZE);

    private V2Structs() {
    }

    /**
     * {@code _IOWR(type, nr, size)} as {@code include/uapi/asm-generic/ioctl.h} defines it (x86, arm,
     * arm64, riscv; not powerpc, mips, sparc, whose size field is 13 bits): number in bits 0-7, type
     * in 8-15, size in 16-29, direction {@code _IOC_READ|_IOC_WRITE} (2|1) in 30-31.
     */
    static int iowr(int type, int nr, int size) {
        if (size < 0 || size >= 1 << 14) throw new IllegalArgumentException("ioctl size " + size + " does not fit 14 bits");
        return (3 << 30) | (size << 16) | ((type & 0xFF) << 8) | (nr & 0xFF);
    }

    /** One {@code gpio_v2_line_config_attribute} for the single line of a request (mask bit 0). */
    record Attribute(int id, long value) {
        static Attribute outputValue(boolean active) {
            return new Attribute(ATTR_OUTPUT_VALUES, active ? 1 : 0);
        }

        static Attribute debounce(int micros) {
            if (micros <= 0) throw new IllegalArgumentException("debounce must be more than 0 us, got " + micros);
            return new Attribute(ATTR_DEBOUNCE, micros);
        }
    }

    /**
     * A {@code gpio_v2_line_request} for one line: {@code offsets[0] = offset}, {@code num_lines = 1},
     * {@code config.flags = flags}, the attributes (each with {@code mask = 1}), the consumer as
     * printable ASCII cut to 31 bytes plus NUL, {@code event_buffer_size = 0} (the kernel's default, 16
     * per line), everything else zero.
     */
    static ByteBuffer lineRequest(int offset, String consumer, long flags, List<Attribute> attributes) {
        if (offset < 0) throw new IllegalArgumentException("line offset must be >= 0, got " + offset);
        if (attributes.size() > NUM_ATTRS_MAX) throw new IllegalArgumentException("at most " + NUM_ATTRS_MAX + " attributes");
        ByteBuffer b = buffer(LINE_REQUEST_SIZE);
        b.putInt(0, offset);
        byte[] name = consumerBytes(consumer);
        b.put(REQUEST_CONSUMER, name, 0, name.length);
        b.putLong(REQUEST_CONFIG, flags);
        b.putInt(REQUEST_CONFIG + CONFIG_NUM_ATTRS, attributes.size());
        for (int i = 0; i < attributes.size(); i++) {
            Attribute a = attributes.get(i);
            int at = REQUEST_CONFIG + CONFIG_ATTRS + i * CONFIG_ATTRIBUTE_SIZE;
            b.putInt(at, a.id());
            if (a.id() == ATTR_DEBOUNCE) b.putInt(at + 8, (int) a.value()); // the union's __u32 member
            else b.putLong(at + 8, a.value());
            b.putLong(at + 16, 1L);
        }
        b.putInt(REQUEST_NUM_LINES, 1);
        return b;
    }

    static byte[] consumerBytes(String consumer) {
        byte[] ascii = consumer.getBytes(StandardCharsets.US_ASCII); // unmappable characters become '?'
        int n = Math.min(ascii.length, NAME_SIZE - 1);
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) out[i] = ascii[i] >= 0x20 && ascii[i] < 0x7F ? ascii[i] : (byte) '?';
        return out;
    }

    /** The line fd the kernel wrote into a request after {@code GPIO_V2_GET_LINE_IOCTL}. */
    static int requestFd(ByteBuffer request) {
        return request.getInt(REQUEST_FD);
    }

    /** A {@code gpio_v2_line_values}. */
    static ByteBuffer lineValues(long bits, long mask) {
        return buffer(LINE_VALUES_SIZE).putLong(0, bits).putLong(8, mask);
    }

    static long valueBits(ByteBuffer values) {
        return values.getLong(0);
    }

    /** One {@code gpio_v2_line_event} as {@code read(2)} returns them, back to back. */
    record LineEvent(long timestampNs, int id, int offset, int seqno, int lineSeqno) {
        /** The logical value after the edge: rising is inactive to active. */
        boolean active() {
            return id == EVENT_RISING_EDGE;
        }
    }

    /** Event {@code index} of a buffer filled by {@code read(2)} on a line fd. */
    static LineEvent event(ByteBuffer events, int index) {
        int at = index * LINE_EVENT_SIZE;
        LineEvent e = new LineEvent(events.getLong(at), events.getInt(at + 8), events.getInt(at + 12),
                events.getInt(at + 16), events.getInt(at + 20));
        if (e.id() != EVENT_RISING_EDGE && e.id() != EVENT_FALLING_EDGE) {
            throw new IllegalArgumentException("event " + index + " has id " + e.id() + ", not a rising (1) or falling (2) edge");
        }
        return e;
    }

    static ByteBuffer buffer(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
