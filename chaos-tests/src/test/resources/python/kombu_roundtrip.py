"""Publishes and consumes N messages through an AMQP URL with kombu (py-amqp), as
oslo.messaging does. Prints 'OK <n>' on success; exits 1 with the reason otherwise."""
import sys

from kombu import Connection, Exchange, Queue

url, count = sys.argv[1], int(sys.argv[2])
exchange = Exchange("kombu-rt", type="direct", durable=False)
queue = Queue("kombu-rt-q", exchange, routing_key="rt", durable=False, auto_delete=False)
received = []

with Connection(url, heartbeat=10, connect_timeout=10) as conn:
    producer = conn.Producer(serializer="json")
    for i in range(count):
        producer.publish({"n": i}, exchange=exchange, routing_key="rt", declare=[queue])

    def on_message(body, message):
        received.append(body["n"])
        message.ack()

    with conn.Consumer(queue, callbacks=[on_message]):
        while len(received) < count:
            conn.drain_events(timeout=10)
    queue(conn.default_channel).delete()

if received != list(range(count)):
    print("received out of order or missing: %r" % received[:20])
    sys.exit(1)
print("OK %d" % len(received))
