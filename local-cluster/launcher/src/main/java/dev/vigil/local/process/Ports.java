package dev.vigil.local.process;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Port checks before a process starts, so that a clash is reported in words, not as a bind stack
 * trace.
 */
public final class Ports {

    private Ports() {}

    /**
     * Fails with a clear message when {@code port} on localhost is taken.
     *
     * @param owner what needs the port, e.g. "Kafka broker"
     * @param option the CLI option that changes it, e.g. "--kafka-port"
     */
    public static void requireFree(int port, String owner, String option) {
        if (!isFree(port)) {
            throw new LaunchException(
                    String.format(
                            "port %d, needed by the %s, is already in use by another process."
                                    + " Stop that process (`ss -ltnp 'sport = :%d'` shows it) or"
                                    + " choose another port with %s.",
                            port, owner, port, option));
        }
    }

    /**
     * True when nothing listens on and nothing is bound to {@code port} on the loopback address.
     */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // like the servers themselves: a socket in TIME_WAIT from a stopped process does not
            // block
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** True when something accepts connections on {@code port} on localhost. */
    public static boolean isListening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port that is free right now, for tests that must not collide with a running stack. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new LaunchException("no free port on the loopback interface", e);
        }
    }
}
