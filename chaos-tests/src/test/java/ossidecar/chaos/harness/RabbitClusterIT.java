package ossidecar.chaos.harness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** A real 3-node RabbitMQ cluster: formation, traffic, crash and rejoin, pause, cleanup. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RabbitClusterIT {

    private static RabbitCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = RabbitCluster.start(3);
    }

    @AfterAll
    static void closeCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Set<String> names(int... indexes) {
        return java.util.Arrays.stream(indexes).mapToObj(cluster::nodeName).collect(Collectors.toSet());
    }

    private static Set<String> running(int via) {
        return Set.copyOf(cluster.clusterRunningNodes(via));
    }

    @Test
    @Order(1)
    void threeNodesFormOneCluster() {
        assertEquals(3, cluster.size());
        assertEquals(names(1, 2, 3), running(1));
        assertEquals(names(1, 2, 3), running(3));
        Set<Integer> ports = Set.of(cluster.amqpPort(1), cluster.amqpPort(2), cluster.amqpPort(3));
        assertEquals(3, ports.size(), "distinct AMQP ports");
        assertFalse(ports.contains(5672), "never the standard port");
        for (RabbitNode node : cluster.nodes()) {
            assertTrue(node.isRunning(), node.name());
            long pid = node.process().pid();
            assertEquals(pid, OsProcess.stat(pid).orElseThrow().pgrp(), node.name() + " leads its own group");
        }
    }

    @Test
    @Order(2)
    void everyListeningSocketIsOnLoopback() throws Exception {
        Set<Long> pids = cluster.liveProcesses().stream().map(ProcessHandle::pid).collect(Collectors.toSet());
        List<ListeningSockets.Socket> sockets = ListeningSockets.of(pids);
        Set<String> listening = sockets.stream().map(ListeningSockets.Socket::localAddress).collect(Collectors.toSet());
        for (RabbitNode node : cluster.nodes()) {
            assertTrue(listening.contains("127.0.0.1:" + node.amqpPort()), "AMQP listener of " + node.name());
            assertTrue(listening.contains("127.0.0.1:" + node.distPort()), "distribution listener of " + node.name());
        }
        assertEquals(List.of(), sockets.stream().filter(s -> !s.isLoopback()).toList(), "listeners not on loopback");
    }

    @Test
    @Order(3)
    void publishAndGetThroughNode2() throws Exception {
        String queue = "harness-it-" + UUID.randomUUID();
        byte[] body = ("hello via node 2 " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        try (Connection connection = cluster.connectionFactory(2).newConnection("it-node2");
                Channel channel = connection.createChannel()) {
            channel.queueDeclare(queue, false, false, false, null);
            channel.confirmSelect();
            channel.basicPublish("", queue, new AMQP.BasicProperties.Builder().build(), body);
            channel.waitForConfirmsOrDie(5000);
            GetResponse response = channel.basicGet(queue, true);
            assertNotNull(response, "message published through node 2 is there");
            assertArrayEquals(body, response.getBody());
            assertEquals(null, channel.basicGet(queue, true), "queue empty after get");
        }
        // The queue is cluster-wide metadata: node 1 knows it.
        try (Connection connection = cluster.connectionFactory(1).newConnection("it-node1");
                Channel channel = connection.createChannel()) {
            assertEquals(0, channel.queueDeclarePassive(queue).getMessageCount());
            channel.queueDelete(queue);
        }
    }

    @Test
    @Order(4)
    void killedNodeLeavesAndRejoinsAfterRestart() {
        RabbitNode third = cluster.node(3);
        long oldPid = third.process().pid();
        third.kill();
        assertFalse(third.isRunning());
        assertFalse(ProcessHandle.of(oldPid).map(OsProcess::isRunning).orElse(false), "pid gone");
        Await.until(Duration.ofSeconds(30), () -> running(1).equals(names(1, 2)),
                () -> "node 1 to see only nodes 1 and 2 running, sees " + running(1));
        assertEquals(names(1, 2), running(2));

        cluster.restart(3);
        assertNotEquals(oldPid, third.process().pid());
        Await.until(Duration.ofSeconds(30), () -> running(1).equals(names(1, 2, 3)),
                () -> "node 3 to rejoin, node 1 sees " + running(1));
        assertEquals(names(1, 2, 3), running(3));
    }

    @Test
    @Order(5)
    void pausedNodeStopsAnsweringUntilResumed() throws Exception {
        RabbitNode second = cluster.node(2);
        ConnectionFactory factory = cluster.connectionFactory(2);
        factory.setConnectionTimeout(2000);
        factory.setHandshakeTimeout(2000);
        try (Connection before = factory.newConnection("it-before-pause")) {
            assertTrue(before.isOpen(), "node 2 answers before the pause");
        }
        second.pause();
        try {
            assertTrue(second.isPaused());
            assertTrue(second.isRunning());
            Exception failure = assertThrows(Exception.class, () -> factory.newConnection("it-paused").close());
            assertTrue(failure instanceof IOException || failure instanceof TimeoutException,
                    "connection attempt to a paused node fails: " + failure);
        } finally {
            second.resume();
        }
        assertFalse(second.isPaused());
        Await.until(Duration.ofSeconds(20), () -> {
            try (Connection c = factory.newConnection("it-resumed")) {
                return c.isOpen();
            } catch (IOException | TimeoutException e) {
                return false;
            }
        }, "node 2 to accept connections after resume");
        assertEquals(names(1, 2, 3), running(2));
    }

    @Test
    @Order(6)
    void closeLeavesNoProcessAndNoDirectory() {
        List<ProcessHandle> processes = cluster.liveProcesses();
        // 3 x (rabbitmq-server wrapper + beam + erl_child_setup ...) + epmd + watchdog
        assertTrue(processes.size() >= 3 * 3 + 2, "snapshot holds the cluster's processes: " + processes.size());
        ClusterLeftovers leftovers = ClusterLeftovers.snapshot(processes, cluster.workDir());
        assertTrue(Files.isDirectory(cluster.workDir()));
        cluster.close();
        assertEquals(List.of(), leftovers.survivors(), "processes left after close()");
        assertFalse(leftovers.dirExists(), "directory left after close(): " + cluster.workDir());
    }
}
