"""A pika client with a server-named exclusive queue: publishes with confirms to the
default exchange under the queue's name and consumes with manual acks through the proxy
while the test kills the broker node under it. After the failover the queue has a new
name on the new node; the client keeps using the old one.

Prints 'HALF' once half the messages are confirmed, at the end 'OK <distinct>
<duplicates>'; exits 1 with the reason on any error."""
import sys
import time

import pika

url, count = sys.argv[1], int(sys.argv[2])
seen = set()
duplicates = 0


def on_message(ch, method, props, body):
    global duplicates
    n = int(body)
    if n in seen:
        duplicates += 1
    seen.add(n)
    ch.basic_ack(method.delivery_tag)


try:
    params = pika.URLParameters(url)
    params.heartbeat = 0  # the proxy keeps its own heartbeat with the broker
    conn = pika.BlockingConnection(params)
    ch = conn.channel()
    ch.confirm_delivery()
    q = ch.queue_declare(queue="", exclusive=True).method.queue
    ch.basic_qos(prefetch_count=50)
    ch.basic_consume(q, on_message)
    for i in range(count):
        # raises on a nack or an unroutable message (mandatory): the old name must still route
        ch.basic_publish(exchange="", routing_key=q, body=str(i).encode(), mandatory=True,
                         properties=pika.BasicProperties(delivery_mode=2))
        if i + 1 == count // 2:
            print("HALF", flush=True)
        conn.process_data_events(time_limit=0)
    deadline = time.monotonic() + 60
    while len(seen) < count and time.monotonic() < deadline:
        conn.process_data_events(time_limit=0.5)
    conn.close()
except Exception as e:  # the point of the test: the client must see none
    print("FAIL %s: %s (received %d distinct)" % (type(e).__name__, e, len(seen)), flush=True)
    sys.exit(1)

missing = [n for n in range(count) if n not in seen]
if missing:
    print("FAIL missing %d messages, first %r" % (len(missing), missing[:10]), flush=True)
    sys.exit(1)
print("OK %d %d" % (len(seen), duplicates), flush=True)
