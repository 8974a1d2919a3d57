package dev.edgetwin.edge.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** BrokerConnection.bytes: a payload's bytes, taken without a copy only from Vert.x's own exact heap copy. */
class PayloadBytesTest {
    private static final byte[] BODY = "{\"event_id\":\"e\",\"twin\":{}}".getBytes(StandardCharsets.US_ASCII);

    @Test
    void vertxsOwnCopyOfAPooledReadIsTakenAsItIs() {
        // what Vert.x MQTT does with a PUBLISH's payload read from the socket
        ByteBuf read = PooledByteBufAllocator.DEFAULT.heapBuffer(256).writeBytes(new byte[7]).writeBytes(BODY);
        read.skipBytes(7);
        Buffer payload = BufferInternal.safeBuffer(read);
        byte[] bytes = BrokerConnection.bytes(payload);
        assertThat(bytes).isEqualTo(BODY);
        assertThat(bytes).isSameAs(((BufferInternal) payload).unwrap().array());
        assertThat(read.refCnt()).isZero();   // the pooled original went back to its pool: the copy is what we keep
    }

    @Test
    void anyOtherBufferIsCopied() {
        byte[] big = new byte[BODY.length + 10];
        System.arraycopy(BODY, 0, big, 5, BODY.length);
        Buffer slice = BufferInternal.buffer(Unpooled.wrappedBuffer(big, 5, BODY.length));
        assertThat(BrokerConnection.bytes(slice)).isEqualTo(BODY).isNotSameAs(big);

        Buffer roomy = Buffer.buffer(512).appendBytes(BODY);   // a Vert.x heap buffer with room to spare
        assertThat(BrokerConnection.bytes(roomy)).isEqualTo(BODY).hasSize(BODY.length);

        Buffer direct = BufferInternal.buffer(Unpooled.directBuffer(64).writeBytes(BODY));
        assertThat(BrokerConnection.bytes(direct)).isEqualTo(BODY);

        assertThat(BrokerConnection.bytes(Buffer.buffer())).isEmpty();
    }
}
