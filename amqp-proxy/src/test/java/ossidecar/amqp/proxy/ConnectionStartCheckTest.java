package ossidecar.amqp.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ConnectionStartCheckTest {
    private static final byte[] START = Arrays.copyOf(FakeBroker.connectionStart(), ConnectionStartCheck.LENGTH);

    @Test
    void theFirstElevenBytesOfAConnectionStartPass() {
        assertNull(ConnectionStartCheck.problem(START, START.length));
    }

    @Test
    void anythingElseIsNamed() {
        assertEquals("the broker refused AMQP 0-9-1 and offered 1-1-0-10",
                ConnectionStartCheck.problem(new byte[] {'A', 'M', 'Q', 'P', 1, 1, 0, 10, 0, 0, 0}, 8));
        assertEquals("frame type 8 on channel 0 (expected: a method frame on channel 0)",
                problem(with(0, 8)));
        assertEquals("frame type 1 on channel 1 (expected: a method frame on channel 0)",
                problem(with(2, 1)));
        assertEquals("size: 16777253 (expected: 4 to 4096)", problem(with(3, 1)));
        assertEquals("method 10.40 (expected: connection.start 10.10)", problem(with(10, 40)));
        assertEquals("method 20.10 (expected: connection.start 10.10)", problem(with(8, 20)));
        assertEquals("length: 7 (expected: >= 11)", ConnectionStartCheck.problem(START, 7));
    }

    private static String problem(byte[] b) {
        return ConnectionStartCheck.problem(b, b.length);
    }

    private static byte[] with(int index, int value) {
        byte[] b = START.clone();
        b[index] = (byte) value;
        return b;
    }
}
