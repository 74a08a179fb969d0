package ossidecar.amqp.proxy;

import ossidecar.amqp.codec.AmqpConstants;
import ossidecar.amqp.codec.MethodType;
import ossidecar.amqp.codec.ProtocolHeader;

/**
 * Whether the first bytes a broker sends after our protocol header begin its connection.start:
 * a method frame (type 1) on channel 0 whose payload starts with class 10, method 10 (spec
 * §4.2.3, §4.2.4, §1.4.2.1). That is all a probe needs to know the broker accepts clients, so
 * nothing is decoded beyond these {@link #LENGTH} bytes.
 */
final class ConnectionStartCheck {
    /** Frame prefix (type, channel, size) and the method's class and method ids. */
    static final int LENGTH = AmqpConstants.FRAME_PREFIX_SIZE + 4;

    private ConnectionStartCheck() {
    }

    /**
     * Null when the first {@code length} bytes of {@code b} begin a connection.start (which
     * takes {@link #LENGTH} bytes), else what they are. A broker that rejects the protocol
     * version answers with only 8 bytes and closes, so that case is named from 8 bytes on.
     */
    static String problem(byte[] b, int length) {
        if (length >= ProtocolHeader.LENGTH && b[0] == 'A' && b[1] == 'M' && b[2] == 'Q' && b[3] == 'P') {
            // spec §4.2.2: a server that rejects our version answers with the one it speaks
            return "the broker refused AMQP 0-9-1 and offered " + b[4] + "-" + b[5] + "-" + b[6] + "-" + b[7];
        }
        if (length < LENGTH) {
            return "length: " + length + " (expected: >= " + LENGTH + ")";
        }
        int type = b[0] & 0xFF;
        int channel = u16(b, 1);
        long size = ((long) u16(b, 3) << 16) | u16(b, 5);
        int classId = u16(b, 7);
        int methodId = u16(b, 9);
        if (type != AmqpConstants.FRAME_METHOD || channel != 0) {
            return "frame type " + type + " on channel " + channel + " (expected: a method frame on channel 0)";
        }
        if (size < 4 || size > AmqpConstants.FRAME_MIN_SIZE) {
            // before connection.tune no frame may exceed frame-min-size
            return "size: " + size + " (expected: 4 to " + AmqpConstants.FRAME_MIN_SIZE + ")";
        }
        MethodType start = MethodType.CONNECTION_START;
        if (classId != start.classId() || methodId != start.methodId()) {
            return "method " + classId + "." + methodId + " (expected: connection.start "
                    + start.classId() + "." + start.methodId() + ")";
        }
        return null;
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }
}
