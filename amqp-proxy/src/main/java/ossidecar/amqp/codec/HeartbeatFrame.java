package ossidecar.amqp.codec;

/** A heartbeat frame: always on channel 0 and empty (spec §4.2.7). */
public final class HeartbeatFrame implements Frame {
    public static final HeartbeatFrame INSTANCE = new HeartbeatFrame();

    private HeartbeatFrame() {
    }

    @Override
    public int channel() {
        return 0;
    }

    @Override
    public String toString() {
        return "HeartbeatFrame";
    }
}
