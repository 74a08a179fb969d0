/**
 * Real-cluster test harness: 3-node RabbitMQ and MariaDB Galera clusters on 127.0.0.1, run
 * from the installed Debian packages (never their system services), each node in its own
 * temporary directory and on its own ports, with crash, hang and restart controls.
 *
 * <ul>
 *   <li>{@link ossidecar.chaos.harness.RabbitCluster} and {@link ossidecar.chaos.harness.GaleraCluster}:
 *       {@code start(size)}, per-node access, {@code restart(i)}, {@code close()}.</li>
 *   <li>{@link ossidecar.chaos.harness.ClusterNode}: start, stop, kill (SIGKILL), pause (SIGSTOP),
 *       resume (SIGCONT), awaitReady, logTail; implemented by
 *       {@link ossidecar.chaos.harness.RabbitNode} and {@link ossidecar.chaos.harness.GaleraNode}.</li>
 *   <li>{@link ossidecar.chaos.harness.NodeProcess}: one OS process leading its own process group.</li>
 *   <li>{@link ossidecar.chaos.harness.Sandbox}: temp directory, process registry, shutdown hook
 *       and watchdog, so nothing outlives the JVM, even one killed by SIGKILL.</li>
 *   <li>{@link ossidecar.chaos.harness.PortAllocator}, {@link ossidecar.chaos.harness.Await},
 *       {@link ossidecar.chaos.harness.OsProcess}: ports, deadlines, /proc facts and group signals.</li>
 * </ul>
 *
 * <p>Needs Linux, root (mariadbd runs with {@code --user=root}), and the packages rabbitmq-server,
 * mariadb-server, galera-4, mariadb-backup, socat.
 */
package ossidecar.chaos.harness;
