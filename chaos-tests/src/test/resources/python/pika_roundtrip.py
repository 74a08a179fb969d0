"""Publishes with confirms and consumes N messages through an AMQP URL with pika.
Prints 'OK <n>' on success; exits 1 otherwise."""
import sys

import pika

url, count = sys.argv[1], int(sys.argv[2])
conn = pika.BlockingConnection(pika.URLParameters(url))
ch = conn.channel()
ch.confirm_delivery()
q = ch.queue_declare(queue="", exclusive=True).method.queue
for i in range(count):
    ch.basic_publish(exchange="", routing_key=q, body=str(i).encode(), mandatory=True)
got = []
for method, props, body in ch.consume(q, inactivity_timeout=10):
    if method is None:
        break
    got.append(int(body))
    ch.basic_ack(method.delivery_tag)
    if len(got) == count:
        break
ch.cancel()
conn.close()
if got != list(range(count)):
    print("received out of order or missing: %r" % got[:20])
    sys.exit(1)
print("OK %d" % len(got))
