package dev.alloplace.enet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
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
import org.openjdk.jmh.annotations.Warmup;

/** ENet command encode and decode: one 1 KiB reliable send and one fragment, per operation. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {

    private final byte[] payload = new byte[1024];
    private Command.SendReliable reliable;
    private Command.SendFragment fragment;
    private ByteBuf out;
    private ByteBuf encoded;

    @Setup
    public void setUp() {
        reliable = new Command.SendReliable(1, 7, payload, 0, payload.length);
        fragment = new Command.SendFragment(true, 2, 9, 8, 3, 1, 3000, 1372, new byte[3000], 1372, 1372);
        out = Unpooled.buffer(4096);
        encoded = Unpooled.buffer(4096);
        CommandCodec.encode(reliable, encoded);
        CommandCodec.encode(fragment, encoded);
    }

    @Benchmark
    public int encode() {
        out.clear();
        CommandCodec.encode(reliable, out);
        CommandCodec.encode(fragment, out);
        return out.writerIndex();
    }

    @Benchmark
    public Object decode() {
        encoded.readerIndex(0);
        Command first = CommandCodec.decode(encoded);
        Command second = CommandCodec.decode(encoded);
        return second == null ? first : second;
    }
}
