/**
 * The MySQL/MariaDB client/server protocol as the DB router speaks it: framing
 * ({@link ossidecar.db.protocol.MysqlPacketDecoder}, {@link ossidecar.db.protocol.MysqlPacketEncoder}),
 * constants named after the manual, packet value classes, response boundary tracking and
 * {@code mysql_native_password}. Messages, codec and constants only: no routing policy and no
 * I/O beyond {@code ByteBuf}.
 *
 * <p>References: the MariaDB manual, "Client/Server Protocol" (Connecting, Server Response
 * Packets, Text Protocol, Binary Protocol) and the MySQL source documentation, "Client/Server
 * Protocol".
 */
package ossidecar.db.protocol;
