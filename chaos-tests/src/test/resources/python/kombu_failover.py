"""A kombu (py-amqp) client, as oslo.messaging uses it, publishing with confirms and
consuming with manual acks through the proxy while the test kills the broker node under
it. kombu's own retry is not used: any exception or close reaches this script.

Prints 'HALF' once half the messages are confirmed (the test kills the node then), and at
the end 'OK <distinct> <duplicates>'; exits 1 with the reason on any error."""
import socket
import sys
import time

from kombu import Connection, Exchange, Queue

url, count, queue_name = sys.argv[1], int(sys.argv[2]), sys.argv[3]
exchange = Exchange(queue_name + "-x", type="direct", durable=True)
queue = Queue(queue_name, exchange, routing_key="n", durable=True,
              queue_arguments={"x-queue-type": "quorum"})
seen = set()
duplicates = 0


def on_message(body, message):
    global duplicates
    n = body["n"]
    if n in seen:
        duplicates += 1
    seen.add(n)
    message.ack()


def drain(conn, until):
    """Delivers what arrived, waiting at most until the deadline."""
    while time.monotonic() < until:
        try:
            conn.drain_events(timeout=max(0.01, min(0.2, until - time.monotonic())))
        except socket.timeout:
            return


try:
    # heartbeat 0: the client relies on the proxy, which keeps its own heartbeat with the broker
    with Connection(url, heartbeat=0, connect_timeout=10,
                    transport_options={"confirm_publish": True}) as conn:
        producer = conn.Producer(serializer="json")
        with conn.Consumer(queue, callbacks=[on_message], prefetch_count=50):
            for i in range(count):
                # with confirm_publish, publish returns once the broker confirmed
                producer.publish({"n": i}, exchange=exchange, routing_key="n", delivery_mode=2,
                                 declare=[queue] if i == 0 else [])
                if i + 1 == count // 2:
                    print("HALF", flush=True)
                drain(conn, time.monotonic() + 0.005)
            deadline = time.monotonic() + 60
            while len(seen) < count and time.monotonic() < deadline:
                drain(conn, time.monotonic() + 0.5)
        queue(conn.default_channel).delete()
except Exception as e:  # the point of the test: the client must see none
    print("FAIL %s: %s (received %d distinct)" % (type(e).__name__, e, len(seen)), flush=True)
    sys.exit(1)

missing = [n for n in range(count) if n not in seen]
if missing:
    print("FAIL missing %d messages, first %r" % (len(missing), missing[:10]), flush=True)
    sys.exit(1)
print("OK %d %d" % (len(seen), duplicates), flush=True)
