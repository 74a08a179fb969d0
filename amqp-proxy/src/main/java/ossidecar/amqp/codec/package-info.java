/**
 * AMQP 0-9-1 as RabbitMQ speaks it: messages, codec and constants, nothing else (no I/O beyond
 * {@code ByteBuf}, no policy).
 *
 * <ul>
 *   <li>{@link ossidecar.amqp.codec.MethodType} is the one table of methods (ids, fields,
 *       domains, content flag); {@link ossidecar.amqp.codec.FrameCodec} derives method encoding
 *       and decoding from it, so no method is coded by hand.</li>
 *   <li>{@link ossidecar.amqp.codec.Method} is an immutable method with typed getters;
 *       {@link ossidecar.amqp.codec.Frame} and its four kinds are what travels on a channel.</li>
 *   <li>{@link ossidecar.amqp.codec.FieldTableCodec} and {@link ossidecar.amqp.codec.FieldTables}
 *       handle field tables with every RabbitMQ value type; {@link ossidecar.amqp.codec.BasicProperties}
 *       the content header's property list.</li>
 *   <li>{@link ossidecar.amqp.codec.AmqpFrameDecoder} and {@link ossidecar.amqp.codec.AmqpFrameEncoder}
 *       are the pipeline handlers; the decoder turns bad input into one
 *       {@link ossidecar.amqp.codec.MalformedFrame} carrying a {@link ossidecar.amqp.codec.ReplyCode}.</li>
 * </ul>
 *
 * <p>Spec references (§) are to the AMQP 0-9-1 specification (amqp0-9-1.pdf), with RabbitMQ's
 * errata for field-table value types and its extensions (amqp-rabbitmq-0.9.1.json).
 */
package ossidecar.amqp.codec;
