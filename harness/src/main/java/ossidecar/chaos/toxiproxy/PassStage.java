package ossidecar.chaos.toxiproxy;

import io.netty.buffer.ByteBuf;

/** {@code noop}: passes everything on unchanged. */
final class PassStage extends ToxicStage {

    PassStage(Link link, Toxic toxic) {
        super(link, toxic);
    }

    @Override
    protected void onData(ByteBuf buf) {
        emit(buf);
    }

    @Override
    protected void onEnd() {
        emitEnd();
    }
}
