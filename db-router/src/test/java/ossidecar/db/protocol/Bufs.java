package ossidecar.db.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import java.util.function.Consumer;

/** Test helpers: buffers from hex dumps and from encoders. */
final class Bufs {
    private Bufs() {
    }

    /** A buffer from hex digits; spaces, newlines and "|" separators are ignored. */
    static ByteBuf hex(String hex) {
        return Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex.replaceAll("[\\s|]", "")));
    }

    static byte[] bytes(ByteBuf buf) {
        return ByteBufUtil.getBytes(buf);
    }

    static String hexOf(ByteBuf buf) {
        return ByteBufUtil.hexDump(buf);
    }

    static ByteBuf write(Consumer<ByteBuf> writer) {
        ByteBuf buf = Unpooled.buffer();
        writer.accept(buf);
        return buf;
    }

    static ByteBuf ascii(String text) {
        return Unpooled.copiedBuffer(text, java.nio.charset.StandardCharsets.UTF_8);
    }
}
