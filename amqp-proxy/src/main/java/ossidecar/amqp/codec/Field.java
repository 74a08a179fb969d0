package ossidecar.amqp.codec;

/**
 * One argument of a method, in wire order: its spec name (RabbitMQ's, e.g. {@code routing-key})
 * and domain. A {@code secret} field holds a credential and is masked by {@link Method#toString}.
 */
public record Field(String name, FieldType type, boolean secret) {
}
