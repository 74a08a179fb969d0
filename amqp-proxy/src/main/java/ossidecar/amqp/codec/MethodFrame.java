package ossidecar.amqp.codec;

import java.util.Objects;

/** A method frame (spec §4.2.4). */
public record MethodFrame(int channel, Method method) implements Frame {
    public MethodFrame {
        Frame.checkChannel(channel);
        Objects.requireNonNull(method, "method");
    }

    @Override
    public String toString() {
        return "MethodFrame(channel " + channel + ", " + method + ")";
    }
}
