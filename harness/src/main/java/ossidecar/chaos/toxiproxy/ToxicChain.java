package ossidecar.chaos.toxiproxy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The toxics of one proxy, in the order they were added, and the live connections that run
 * them. As in Toxiproxy ({@code ToxicCollection}), a change reaches every open connection:
 * each registered {@link Listener} is told under the same lock that changes the list, and a
 * connection registers and copies the list in one step, so it sees every change exactly once.
 * Listeners must only hand the change to their own event loop, never block.
 */
final class ToxicChain {

    /** A live connection of the proxy. Called with the chain's lock held: enqueue, do not block. */
    interface Listener {
        void toxicAdded(Toxic toxic);

        void toxicUpdated(Toxic toxic);

        void toxicRemoved(Toxic toxic);
    }

    private final List<Toxic> toxics = new ArrayList<>();
    private final Set<Listener> listeners = new LinkedHashSet<>();

    /** Registers a connection and returns the toxics it starts with. */
    synchronized List<Toxic> register(Listener listener) {
        listeners.add(listener);
        return List.copyOf(toxics);
    }

    synchronized void unregister(Listener listener) {
        listeners.remove(listener);
    }

    synchronized int listenerCount() {
        return listeners.size();
    }

    /** Toxiproxy lists the upstream chain first, then the downstream one, each in insertion order. */
    synchronized List<Toxic> list() {
        List<Toxic> out = new ArrayList<>(toxics.size());
        for (Direction d : Direction.values()) {
            for (Toxic t : toxics) {
                if (t.stream() == d) {
                    out.add(t);
                }
            }
        }
        return out;
    }

    synchronized boolean contains(String name) {
        return toxics.stream().anyMatch(t -> t.name().equals(name));
    }

    synchronized Toxic get(String name) throws ApiException {
        return toxics.get(indexOf(name));
    }

    synchronized void add(Toxic toxic) throws ApiException {
        for (Toxic t : toxics) {
            if (t.name().equals(toxic.name())) {
                throw new ApiException(409, ApiException.TOXIC_ALREADY_EXISTS);
            }
        }
        toxics.add(toxic);
        for (Listener l : listeners) {
            l.toxicAdded(toxic);
        }
    }

    /** Replaces the toxic of the same name (its position in the chain is kept). */
    synchronized void update(Toxic toxic) throws ApiException {
        toxics.set(indexOf(toxic.name()), toxic);
        for (Listener l : listeners) {
            l.toxicUpdated(toxic);
        }
    }

    synchronized Toxic remove(String name) throws ApiException {
        Toxic removed = toxics.remove(indexOf(name));
        for (Listener l : listeners) {
            l.toxicRemoved(removed);
        }
        return removed;
    }

    /** Removes every toxic, each as {@link #remove} would (a timeout toxic closes its connections). */
    synchronized void clear() {
        while (!toxics.isEmpty()) {
            Toxic removed = toxics.remove(toxics.size() - 1);
            for (Listener l : listeners) {
                l.toxicRemoved(removed);
            }
        }
    }

    private int indexOf(String name) throws ApiException {
        for (int i = 0; i < toxics.size(); i++) {
            if (toxics.get(i).name().equals(name)) {
                return i;
            }
        }
        throw ApiException.toxicNotFound();
    }
}
