/**
 * A Toxiproxy-compatible server embedded in the test harness, and the small factory that picks
 * it or a real Toxiproxy server. Every test drives faults through the official Toxiproxy Java
 * client, so the same tests run against a real Toxiproxy when one is configured.
 *
 * <ul>
 *   <li>{@link ossidecar.chaos.toxiproxy.ToxiproxyEndpoint}: {@code start()} returns the Java
 *       client, for a real server ({@code -Dtoxiproxy.url} or {@code TOXIPROXY_URL}) or a new
 *       embedded one; {@code close()} stops the embedded server.</li>
 *   <li>{@link ossidecar.chaos.toxiproxy.ToxiproxyServer}: the embedded server (Toxiproxy 2.x
 *       HTTP API; proxies and the toxics latency, bandwidth, slow_close, timeout, reset_peer,
 *       slicer, limit_data and noop on Netty).</li>
 *   <li>{@link ossidecar.chaos.toxiproxy.FaultInjector}: cutOff, disable, slow, reset, heal for
 *       one proxy.</li>
 * </ul>
 *
 * <p>Inside: {@code ToxiproxyApi} maps requests to responses over a {@code DataPlane} (tested
 * without sockets); {@code Toxic} and {@code ToxicChain} hold the toxics; {@code Link} runs one
 * direction of a connection through one {@code ToxicStage} per toxic.
 */
package ossidecar.chaos.toxiproxy;
