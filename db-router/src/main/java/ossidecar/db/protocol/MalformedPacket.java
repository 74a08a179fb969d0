package ossidecar.db.protocol;

/**
 * Emitted once by {@link MysqlPacketDecoder} instead of a packet it refuses (too long,
 * out-of-order continuation); the decoder then discards all further input. The handler
 * downstream answers with an error and closes: the stream cannot be resynchronized.
 */
public record MalformedPacket(String reason) {
}
