package ossidecar.chaos.toxiproxy;

/**
 * Where proxies move bytes. {@link ToxiproxyApi} decides, a data plane binds: the Netty one in
 * the server, a fake one in unit tests. Called only from the API's control thread, which may
 * block (never from an event loop).
 */
interface DataPlane {

    /**
     * Starts listening on {@code listen} ({@code host:port}, port 0 picks a free one) and relays
     * each accepted connection to {@code upstream} through {@code toxics}.
     *
     * @throws Exception when the address is invalid or cannot be bound; the message is shown to
     *     the API caller
     */
    Bound bind(String proxyName, String listen, String upstream, ToxicChain toxics) throws Exception;

    /** A listening proxy. */
    interface Bound {
        /** The bound address as {@code host:port}, with the real port. */
        String address();

        /** Stops listening and closes every connection of the proxy; returns once they are closed. */
        void close();
    }
}
