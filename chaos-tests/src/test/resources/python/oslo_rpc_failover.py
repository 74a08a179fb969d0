"""An oslo.messaging RPC server and client pair, as nova's services use them, through the
proxy with quorum queues for the topic queues (rabbit_quorum_queue), while the test fails
the broker node under them.

Prints 'HALF' once half the calls are answered (the test injects the fault then), and at
the end 'OK <calls> <failed> <server_duplicates>'; a failed call is one that raised, as nova
would see it (MessagingTimeout, MessageDeliveryFailure, ...). Exits 1 when any call failed."""
import sys
import threading
import time

from oslo_config import cfg
import oslo_messaging as messaging

url, topic, calls, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])

# the global config, as services use it (oslo.messaging's metrics client reads it whatever it is given)
conf = cfg.CONF
conf([], project="sidecar-failover-test")
messaging.set_transport_defaults("sidecar_failover")
server_transport = messaging.get_rpc_transport(conf, url=url)
client_transport = messaging.get_rpc_transport(conf, url=url)
# the driver registered its options above; connections read them when they open (at first use)
conf.set_override("rabbit_quorum_queue", True, group="oslo_messaging_rabbit")
conf.set_override("amqp_durable_queues", True, group="oslo_messaging_rabbit")  # quorum queues are durable

handled = {}
handled_lock = threading.Lock()


class Echo:
    def echo(self, ctxt, n):
        with handled_lock:
            handled[n] = handled.get(n, 0) + 1
        return n


server = messaging.get_rpc_server(server_transport, messaging.Target(topic=topic, server="server-1"),
                                  [Echo()], executor="threading")
server.start()
client = messaging.get_rpc_client(client_transport, messaging.Target(topic=topic), timeout=30)

done = 0
failures = []
lock = threading.Lock()
half = threading.Event()


def caller(first, count):
    global done
    for n in range(first, first + count):
        try:
            got = client.call({}, "echo", n=n)
            if got != n:
                raise AssertionError("call %d answered %r" % (n, got))
        except Exception as e:  # what nova would see as an API error
            with lock:
                failures.append("%d: %s: %s" % (n, type(e).__name__, e))
        with lock:
            done += 1
            if done * 2 >= calls:
                half.set()


try:
    client.call({}, "echo", n=-1)  # the server's queues exist before the timed calls start
    per = calls // threads
    workers = [threading.Thread(target=caller, args=(i * per, per)) for i in range(threads)]
    for w in workers:
        w.start()
    half.wait(120)
    print("HALF", flush=True)
    for w in workers:
        w.join(300)
finally:
    server.stop()
    server.wait()
    server_transport.cleanup()
    client_transport.cleanup()

duplicates = sum(c - 1 for n, c in handled.items() if n >= 0)
for f in failures[:10]:
    print("FAILED " + f, flush=True)
print("OK %d %d %d" % (per * threads, len(failures), duplicates), flush=True)
sys.exit(1 if failures else 0)
