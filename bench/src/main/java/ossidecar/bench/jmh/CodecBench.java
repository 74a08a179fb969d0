package ossidecar.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import ossidecar.amqp.codec.FrameCodec;
import ossidecar.amqp.codec.Method;
import ossidecar.amqp.codec.MethodFrame;
import ossidecar.amqp.codec.MethodType;
import ossidecar.db.protocol.MysqlPacketDecoder;
import ossidecar.db.protocol.MysqlPacketEncoder;
import ossidecar.db.sql.StatementClassifier;

/**
 * What the relay paths cost per frame, packet and statement, apart from sockets: the AMQP
 * method codec on the methods every message carries (basic.publish, basic.deliver, basic.ack),
 * MySQL packet framing both ways on a point select's result set, and the statement classifier
 * on the statements sysbench and oslo.db send. Run by {@code bench/jmh.sh} with JMH's GC
 * profiler, which adds the bytes allocated per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CodecBench {
    private ByteBuf publish;
    private ByteBuf deliver;
    private MethodFrame publishFrame;
    private MethodFrame ackFrame;
    private ByteBuf out;
    private ByteBuf resultSet;
    private ByteBuf rowPayload;
    private EmbeddedChannel mysqlDecoder;
    private StatementClassifier classifier;

    @Setup
    public void setUp() {
        publish = payload(Method.of(MethodType.BASIC_PUBLISH, "exchange", "nova", "routing-key",
                "compute.compute-0.example.org"));
        deliver = payload(Method.of(MethodType.BASIC_DELIVER, "consumer-tag", "amq.ctag-6Hq1HrVGSi1TM7xq4W8JHA",
                "delivery-tag", 123456L, "exchange", "nova", "routing-key", "compute.compute-0.example.org"));
        publishFrame = new MethodFrame(1, Method.of(MethodType.BASIC_PUBLISH, "exchange", "nova", "routing-key",
                "compute.compute-0.example.org"));
        ackFrame = new MethodFrame(1, Method.of(MethodType.BASIC_ACK, "delivery-tag", 123456L, "multiple", false));
        out = Unpooled.directBuffer(4096);
        // a point select's answer: column count, one column definition, EOF, one row, EOF
        resultSet = Unpooled.directBuffer();
        int seq = 1;
        seq = MysqlPacketEncoder.writeFramed(seq, Unpooled.wrappedBuffer(new byte[] {1}), resultSet);
        seq = MysqlPacketEncoder.writeFramed(seq, Unpooled.wrappedBuffer(new byte[70]), resultSet);
        seq = MysqlPacketEncoder.writeFramed(seq, Unpooled.wrappedBuffer(new byte[] {(byte) 0xfe, 0, 0, 2, 0}),
                resultSet);
        rowPayload = Unpooled.directBuffer().writeByte(120)
                .writeBytes("x".repeat(120).getBytes(StandardCharsets.US_ASCII));
        seq = MysqlPacketEncoder.writeFramed(seq, rowPayload, resultSet);
        MysqlPacketEncoder.writeFramed(seq, Unpooled.wrappedBuffer(new byte[] {(byte) 0xfe, 0, 0, 2, 0}), resultSet);
        mysqlDecoder = new EmbeddedChannel(new MysqlPacketDecoder(16 << 20));
        classifier = new StatementClassifier();
    }

    @TearDown
    public void tearDown() {
        mysqlDecoder.finishAndReleaseAll();
    }

    private static ByteBuf payload(Method m) {
        ByteBuf b = Unpooled.directBuffer();
        FrameCodec.encodeMethod(m, b);
        return b;
    }

    @Benchmark
    public Method amqpDecodeBasicPublish() {
        return FrameCodec.decodeMethod(publish.readerIndex(0));
    }

    @Benchmark
    public Method amqpDecodeBasicDeliver() {
        return FrameCodec.decodeMethod(deliver.readerIndex(0));
    }

    @Benchmark
    public int amqpEncodeBasicPublishFrame() {
        FrameCodec.encodeFrame(publishFrame, out.clear());
        return out.writerIndex();
    }

    @Benchmark
    public int amqpEncodeBasicAckFrame() {
        FrameCodec.encodeFrame(ackFrame, out.clear());
        return out.writerIndex();
    }

    /** The five packets of a point select's result set through the decoder (an EmbeddedChannel's pipeline included). */
    @Benchmark
    public void mysqlDecodeResultSet(Blackhole bh) {
        mysqlDecoder.writeInbound(resultSet.retainedDuplicate());
        for (Object p; (p = mysqlDecoder.readInbound()) != null; ) {
            bh.consume(p);
            ReferenceCountUtil.release(p);
        }
    }

    @Benchmark
    public int mysqlFrameRow() {
        return MysqlPacketEncoder.writeFramed(4, rowPayload, out.clear());
    }

    @Benchmark
    public Object classifyPointSelect() {
        return classifier.classify("SELECT c FROM sbtest1 WHERE id=5012");
    }

    @Benchmark
    public Object classifyUpdate() {
        return classifier.classify("UPDATE sbtest3 SET k=k+1 WHERE id=5012");
    }

    @Benchmark
    public Object classifyOsloDbSelect() {
        return classifier.classify("SELECT instances.created_at AS instances_created_at, instances.updated_at AS "
                + "instances_updated_at, instances.id AS instances_id, instances.uuid AS instances_uuid FROM instances "
                + "WHERE instances.deleted = %(deleted_1)s AND instances.uuid = 'b2b5ba5e-0c1e-4a55-9b8b-3d4e5f6a7b8c' "
                + "LIMIT 1");
    }

    @Benchmark
    public Object classifySelectForUpdate() {
        return classifier.classify("SELECT balance FROM accounts WHERE id IN (3, 7) ORDER BY id FOR UPDATE");
    }
}
