package ossidecar.chaos.workload;

import java.util.ArrayList;
import java.util.List;

/** A workload's client threads: started as daemons, joined with a bound when the workload stops. */
final class ClientThreads {
    private static final long JOIN_MILLIS = 90_000;
    private final List<Thread> threads = new ArrayList<>();

    void start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    /** Waits for each to end its operation in flight; gives up on an interrupt. */
    void join() {
        for (Thread t : threads) {
            try {
                t.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
