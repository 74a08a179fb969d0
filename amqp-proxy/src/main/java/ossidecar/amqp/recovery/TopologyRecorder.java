package ossidecar.amqp.recovery;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import ossidecar.amqp.codec.Method;
import ossidecar.amqp.codec.MethodType;

/**
 * What one client connection declared, recorded from the methods that cross the proxy, so a
 * new upstream connection can be given the same topology (the rabbitmq-java-client's
 * recorded-entity approach). A declare is recorded when the broker confirms it (or at once
 * with nowait); passive declares are not recorded; deletes, unbinds and cancels remove
 * records, and deleting a queue or exchange drops what depended on it.
 *
 * <p>{@link #replayPlan()} gives the methods in dependency order: exchanges, queues,
 * bindings (channel-independent, so the caller may replay them on a channel of its own), then
 * the client's channels with their settings (qos, confirm or tx mode, flow), then consumers.
 * The original methods are kept, with nowait cleared so that replay waits for every answer; a
 * server-named queue is declared with an empty name again and the caller maps the new name.
 *
 * <p>Not thread-safe: a connection's frames are handled on its event loop.
 */
public final class TopologyRecorder {
    /** One method to send on one channel during replay. */
    public record Step(int channel, Method method) {
    }

    /**
     * What to replay: {@code topology} in order on any open channel, then each of
     * {@code channels} opened, its {@code settings} applied, and finally {@code consumers}.
     */
    public record Plan(List<Integer> channels, List<Entity> topology, List<Step> settings, List<Step> consumers) {
        public int size() {
            return channels.size() + topology.size() + settings.size() + consumers.size();
        }
    }

    /**
     * One exchange, queue or binding to declare again; {@code serverNamedQueue} is the name the
     * client knows for a server-named queue (declared unnamed, renamed by the caller), else null.
     */
    public record Entity(Method method, String serverNamedQueue) {
    }

    /** A recorded queue: its actual name and whether the broker chose it. */
    public record RecordedQueue(int channel, String name, boolean serverNamed, Method declare) {
    }

    /** A recorded channel and its settings. */
    private static final class RecordedChannel {
        final Map<Boolean, Method> qosByGlobal = new LinkedHashMap<>();
        Method mode; // confirm.select or tx.select
        Method flow;
    }

    private final Map<Integer, RecordedChannel> channels = new LinkedHashMap<>();
    private final Map<String, Step> exchanges = new LinkedHashMap<>();
    private final Map<String, RecordedQueue> queues = new LinkedHashMap<>();
    private final Set<Step> bindings = new LinkedHashSet<>();
    private final Map<String, Step> consumers = new LinkedHashMap<>();
    /** The synchronous request each channel waits on (AMQP allows one at a time per channel). */
    private final Map<Integer, Method> pending = new HashMap<>();

    /** A method the client sent on {@code channel}. */
    public void fromClient(int channel, Method m) {
        switch (m.type()) {
            case CHANNEL_OPEN -> channels.put(channel, new RecordedChannel());
            case EXCHANGE_DECLARE, QUEUE_DECLARE -> {
                if (!m.bit("passive")) {
                    awaitOrApply(channel, m);
                }
            }
            case QUEUE_BIND, EXCHANGE_BIND, EXCHANGE_UNBIND, QUEUE_UNBIND, EXCHANGE_DELETE, QUEUE_DELETE, BASIC_QOS,
                    CONFIRM_SELECT, TX_SELECT, BASIC_CANCEL, CHANNEL_FLOW, BASIC_CONSUME -> awaitOrApply(channel, m);
            case CHANNEL_CLOSE -> closeChannel(channel);
            default -> {
            }
        }
    }

    /** A method the broker sent on {@code channel}: the answers confirm what the client asked. */
    public void fromBroker(int channel, Method m) {
        switch (m.type()) {
            case QUEUE_DECLARE_OK -> {
                Method req = pending.remove(channel);
                if (req != null && req.type() == MethodType.QUEUE_DECLARE) {
                    recordQueue(channel, req, m.str("queue"));
                }
            }
            case BASIC_CONSUME_OK -> {
                Method req = pending.remove(channel);
                if (req != null && req.type() == MethodType.BASIC_CONSUME) {
                    String tag = m.str("consumer-tag");
                    consumers.put(tag, new Step(channel, req.with("consumer-tag", tag).with("nowait", false)));
                }
            }
            case EXCHANGE_DECLARE_OK, QUEUE_BIND_OK, EXCHANGE_BIND_OK, EXCHANGE_UNBIND_OK, QUEUE_UNBIND_OK,
                    EXCHANGE_DELETE_OK, QUEUE_DELETE_OK, BASIC_QOS_OK, CONFIRM_SELECT_OK, TX_SELECT_OK, BASIC_CANCEL_OK,
                    CHANNEL_FLOW_OK -> {
                Method req = pending.remove(channel);
                if (req != null) {
                    apply(channel, req);
                }
            }
            case BASIC_CANCEL -> consumers.remove(m.str("consumer-tag")); // a server-side cancel
            case CHANNEL_CLOSE, CHANNEL_CLOSE_OK -> closeChannel(channel);
            default -> {
            }
        }
    }

    private void awaitOrApply(int channel, Method m) {
        boolean nowait = m.type().indexOf("nowait") >= 0 && m.bit("nowait");
        if (nowait) {
            apply(channel, m);
        } else {
            pending.put(channel, m);
        }
    }

    private void apply(int channel, Method m) {
        switch (m.type()) {
            case EXCHANGE_DECLARE -> exchanges.put(m.str("exchange"), new Step(channel, m.with("nowait", false)));
            case QUEUE_DECLARE -> recordQueue(channel, m, m.str("queue")); // nowait: the name is the client's
            case QUEUE_BIND, EXCHANGE_BIND -> bindings.add(new Step(channel, m.with("nowait", false)));
            case QUEUE_UNBIND -> bindings.removeIf(b -> b.method().type() == MethodType.QUEUE_BIND
                    && sameBinding(b.method(), m, "queue", "exchange"));
            case EXCHANGE_UNBIND -> bindings.removeIf(b -> b.method().type() == MethodType.EXCHANGE_BIND
                    && sameBinding(b.method(), m, "destination", "source"));
            case EXCHANGE_DELETE -> deleteExchange(m.str("exchange"));
            case QUEUE_DELETE -> deleteQueue(m.str("queue"));
            case BASIC_CONSUME -> consumers.put(m.str("consumer-tag"), new Step(channel, m.with("nowait", false)));
            case BASIC_CANCEL -> cancel(m.str("consumer-tag"));
            case BASIC_QOS -> channel(channel).qosByGlobal.put(m.bit("global"), m);
            case CONFIRM_SELECT -> channel(channel).mode = m.with("nowait", false);
            case TX_SELECT -> channel(channel).mode = m;
            case CHANNEL_FLOW -> channel(channel).flow = m.bit("active") ? null : m;
            default -> {
            }
        }
    }

    private RecordedChannel channel(int number) {
        return channels.computeIfAbsent(number, n -> new RecordedChannel());
    }

    private void recordQueue(int channel, Method declare, String actualName) {
        RecordedQueue earlier = queues.get(actualName);
        // redeclaring a server-named queue by its name must not make it client-named: amq.* names are refused
        boolean serverNamed = declare.str("queue").isEmpty() || (earlier != null && earlier.serverNamed());
        Method replayed = serverNamed ? declare.with("queue", "") : declare;
        queues.put(actualName, new RecordedQueue(channel, actualName, serverNamed, replayed.with("nowait", false)));
    }

    private static boolean sameBinding(Method bind, Method unbind, String dest, String source) {
        return bind.str(dest).equals(unbind.str(dest)) && bind.str(source).equals(unbind.str(source))
                && bind.str("routing-key").equals(unbind.str("routing-key"))
                && bind.table("arguments").equals(unbind.table("arguments"));
    }

    private void deleteExchange(String name) {
        exchanges.remove(name);
        bindings.removeIf(b -> b.method().type() == MethodType.QUEUE_BIND ? b.method().str("exchange").equals(name)
                : b.method().str("source").equals(name) || b.method().str("destination").equals(name));
    }

    private void deleteQueue(String name) {
        queues.remove(name);
        bindings.removeIf(b -> b.method().type() == MethodType.QUEUE_BIND && b.method().str("queue").equals(name));
        consumers.values().removeIf(c -> c.method().str("queue").equals(name));
    }

    /** A cancelled consumer's auto-delete queue goes when its last consumer does (§1.7.2.1). */
    private void cancel(String tag) {
        Step c = consumers.remove(tag);
        if (c == null) {
            return;
        }
        String queue = c.method().str("queue");
        RecordedQueue q = queues.get(queue);
        boolean lastConsumer = consumers.values().stream().noneMatch(o -> o.method().str("queue").equals(queue));
        if (q != null && q.declare().bit("auto-delete") && lastConsumer) {
            deleteQueue(queue);
        }
    }

    private void closeChannel(int channel) {
        channels.remove(channel);
        pending.remove(channel);
        new ArrayList<>(consumers.entrySet()).stream().filter(e -> e.getValue().channel() == channel)
                .forEach(e -> cancel(e.getKey()));
    }

    public Map<String, RecordedQueue> queues() {
        return Map.copyOf(queues);
    }

    public int consumerCount() {
        return consumers.size();
    }

    /** The proxy closed {@code channel} itself (e.g. a transaction lost in failover). */
    public void channelClosedByProxy(int channel) {
        closeChannel(channel);
    }

    public boolean isOpen(int channel) {
        return channels.containsKey(channel);
    }

    /**
     * What reopening one channel on the same upstream needs: its qos and flow, then its
     * consumers with their tags (the topology outside the channel is still there).
     */
    public List<Method> channelSettingsAndConsumers(int channel) {
        List<Method> out = new ArrayList<>();
        RecordedChannel c = channels.get(channel);
        if (c != null) {
            out.addAll(c.qosByGlobal.values());
            if (c.flow != null) {
                out.add(c.flow);
            }
        }
        consumers.values().stream().filter(s -> s.channel() == channel).forEach(s -> out.add(s.method()));
        return out;
    }

    /**
     * Whether a consumer on {@code channel} reads a queue this connection declared auto-delete:
     * closing the channel would cancel it, and RabbitMQ deletes such a queue, with its messages,
     * when its last consumer goes.
     */
    public boolean consumesAutoDeleteQueue(int channel) {
        return consumers.values().stream().filter(s -> s.channel() == channel).map(s -> queues.get(s.method().str("queue")))
                .anyMatch(q -> q != null && q.declare().bit("auto-delete"));
    }

    /** Everything to replay on a new upstream, in dependency order. */
    public Plan replayPlan() {
        List<Entity> topology = new ArrayList<>();
        exchanges.values().forEach(e -> topology.add(new Entity(e.method(), null)));
        queues.values().forEach(q -> topology.add(new Entity(q.declare(), q.serverNamed() ? q.name() : null)));
        bindings.forEach(b -> topology.add(new Entity(b.method(), null)));
        List<Step> settings = new ArrayList<>();
        channels.forEach((n, c) -> {
            c.qosByGlobal.values().forEach(qos -> settings.add(new Step(n, qos)));
            if (c.mode != null) {
                settings.add(new Step(n, c.mode));
            }
            if (c.flow != null) {
                settings.add(new Step(n, c.flow));
            }
        });
        return new Plan(List.copyOf(channels.keySet()), topology, settings, List.copyOf(consumers.values()));
    }
}
