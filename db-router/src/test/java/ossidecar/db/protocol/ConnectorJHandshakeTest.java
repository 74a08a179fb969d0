package ossidecar.db.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A real client against our packets: MariaDB Connector/J connects to an in-process socket
 * that speaks through HandshakeV10, HandshakeResponse41, NativePassword, OkPacket and
 * ErrPacket. Checks our encoders and decoders against an independent implementation.
 */
class ConnectorJHandshakeTest {
    private static final long SERVER_CAPS = Capabilities.CLIENT_LONG_FLAG | Capabilities.CLIENT_CONNECT_WITH_DB
            | Capabilities.CLIENT_PROTOCOL_41 | Capabilities.CLIENT_TRANSACTIONS | Capabilities.CLIENT_SECURE_CONNECTION
            | Capabilities.CLIENT_MULTI_RESULTS | Capabilities.CLIENT_PS_MULTI_RESULTS | Capabilities.CLIENT_PLUGIN_AUTH
            | Capabilities.CLIENT_CONNECT_ATTRS | Capabilities.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA
            | Capabilities.CLIENT_DEPRECATE_EOF | Capabilities.MARIADB_CLIENT_STMT_BULK_OPERATIONS;
    private static final byte[] SEED = "ab!cd#ef%gh&ij(kl)mn".getBytes();
    private static final String PASSWORD_HASH = NativePassword.doubleSha1Hash("s3cret");

    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    /** What the fake server saw. */
    private record Session(HandshakeResponse41 response, boolean verified, List<Integer> commands) {
    }

    @Test
    void rightPasswordIsVerifiedAndConnectionCompletes() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Future<SQLException> client = connect(server, "s3cret");
            Session session = serve(server, true);
            SQLException failure = client.get(20, TimeUnit.SECONDS);
            if (failure != null) {
                throw new AssertionError("Connector/J failed: " + failure, failure);
            }
            assertTrue(session.verified());
            HandshakeResponse41 response = session.response();
            assertEquals("nova", response.username());
            assertEquals("nova", response.database());
            assertEquals(NativePassword.PLUGIN_NAME, response.authPluginName());
            assertEquals(20, response.authResponse().length);
            assertArrayEquals(NativePassword.scramble("s3cret".getBytes(), SEED), response.authResponse());
            assertFalse(Capabilities.has(response.capabilities(), Capabilities.CLIENT_MYSQL), "talks MariaDB to a MariaDB server");
            assertNotNull(response.connectAttributes().get("_client_name"), response.connectAttributes().toString());
            assertTrue(session.commands().contains(CommandType.COM_QUIT.code()), "closed politely: " + session.commands());
        }
    }

    @Test
    void wrongPasswordGetsAccessDenied() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Future<SQLException> client = connect(server, "wrong");
            Session session = serve(server, false);
            SQLException failure = client.get(20, TimeUnit.SECONDS);
            assertFalse(session.verified());
            assertNotNull(failure, "the connection must fail");
            assertEquals(1045, failure.getErrorCode());
            assertEquals("28000", failure.getSQLState());
            assertTrue(failure.getMessage().contains("Access denied for user 'nova'"), failure.getMessage());
        }
    }

    private Future<SQLException> connect(ServerSocket server, String password) {
        String url = "jdbc:mariadb://127.0.0.1:" + server.getLocalPort() + "/nova?connectTimeout=10000&socketTimeout=10000";
        return executor.submit(() -> {
            try (Connection connection = DriverManager.getConnection(url, "nova", password)) {
                connection.isValid(5);
                return null;
            } catch (SQLException e) {
                return e;
            }
        });
    }

    /** Plays the server side of one connection with our packet classes. */
    private static Session serve(ServerSocket server, boolean answerCommands) throws IOException {
        server.setSoTimeout(20_000);
        try (Socket socket = server.accept()) {
            socket.setSoTimeout(20_000);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            HandshakeV10 greeting = new HandshakeV10("5.5.5-10.11.6-MariaDB-log", 99, SEED, SERVER_CAPS,
                    Charsets.UTF8MB4_GENERAL_CI, ServerStatus.SERVER_STATUS_AUTOCOMMIT, NativePassword.PLUGIN_NAME);
            send(out, 0, greeting::encode);

            MysqlPacket packet = receive(in);
            HandshakeResponse41 response = HandshakeResponse41.decode(packet.payload(), SERVER_CAPS);
            packet.release();
            long negotiated = response.capabilities() & SERVER_CAPS;
            boolean verified = NativePassword.verify(response.authResponse(), SEED, NativePassword.decodeHash(PASSWORD_HASH));
            List<Integer> commands = new ArrayList<>();
            if (!verified) {
                send(out, 2, b -> ErrorCodes.ER_ACCESS_DENIED_ERROR
                        .packet("Access denied for user 'nova'@'localhost' (using password: YES)").encode(b, negotiated));
                return new Session(response, false, commands);
            }
            send(out, 2, b -> new OkPacket(0, 0, ServerStatus.SERVER_STATUS_AUTOCOMMIT, 0).encode(b, negotiated));
            while (answerCommands) {
                MysqlPacket command;
                try {
                    command = receive(in);
                } catch (IOException e) {
                    break; // the client hung up
                }
                int code = command.payload().getUnsignedByte(0);
                command.release();
                commands.add(code);
                if (code == CommandType.COM_QUIT.code()) {
                    break;
                }
                send(out, 1, b -> new OkPacket(0, 0, ServerStatus.SERVER_STATUS_AUTOCOMMIT, 0).encode(b, negotiated));
            }
            return new Session(response, true, commands);
        }
    }

    private static void send(OutputStream out, int sequenceId, Consumer<ByteBuf> writer) throws IOException {
        ByteBuf payload = Bufs.write(writer);
        ByteBuf wire = Unpooled.buffer();
        MysqlPacketEncoder.writeFramed(sequenceId, payload, wire);
        payload.release();
        out.write(Bufs.bytes(wire));
        wire.release();
        out.flush();
    }

    private static MysqlPacket receive(DataInputStream in) throws IOException {
        byte[] header = new byte[4];
        in.readFully(header);
        int length = (header[0] & 0xFF) | (header[1] & 0xFF) << 8 | (header[2] & 0xFF) << 16;
        byte[] payload = new byte[length];
        in.readFully(payload);
        return new MysqlPacket(header[3] & 0xFF, Unpooled.wrappedBuffer(payload));
    }
}
