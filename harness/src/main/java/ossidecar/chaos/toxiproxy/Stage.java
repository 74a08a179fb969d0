package ossidecar.chaos.toxiproxy;

import io.netty.buffer.ByteBuf;

/**
 * One step of a {@link Link}: takes the chunks of one direction and the end of the stream, and
 * passes them to {@link #next}. Confined to the connection's event loop; a stage owns the
 * buffers it is given until it passes them on or drops them through its link.
 */
abstract class Stage {
    Stage next;

    abstract void data(ByteBuf buf);

    /** The stream ended (the source closed, or a stage before this one closed it). */
    abstract void end();
}
