package dev.parity.sandbox.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * One loopback port that speaks both HTTP and HTTPS, as a Heroku client expects of one host: the
 * API stays plain HTTP (the CLI's HEROKU_HOST), while git remotes written by {@code heroku
 * git:remote} and backup URLs are {@code https://} on the same host and port. Each connection is
 * told apart by its first byte (a TLS handshake record starts with 0x16, an HTTP request with a
 * letter) and relayed, bytes untouched, to the plain or the TLS server behind it.
 */
public final class DualPort implements AutoCloseable {
    private static final int TLS_HANDSHAKE = 0x16;
    // A client sends first on both protocols; one that connects and stays silent is dropped.
    private static final int FIRST_BYTE_TIMEOUT_MS = 60_000;

    private final ServerSocket listener;
    private final ExecutorService threads;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile IntSupplier plainPort;
    private volatile IntSupplier tlsPort;

    /** Binds {@code port} on the loopback address (0: a free one); {@link #start} begins relaying. */
    public DualPort(int port, ExecutorService threads) throws IOException {
        this.threads = threads;
        this.listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    }

    public int port() {
        return listener.getLocalPort();
    }

    /**
     * Relays plain connections to {@code plainPort} and TLS ones to the port {@code tlsPort}
     * gives (asked at the first TLS connection, so the TLS server may be made lazily).
     */
    public void start(IntSupplier plainPort, IntSupplier tlsPort) {
        this.plainPort = plainPort;
        this.tlsPort = tlsPort;
        threads.execute(this::acceptAll);
    }

    private void acceptAll() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                if (listener.isClosed()) return;
                continue;
            }
            try {
                threads.execute(() -> route(client));
            } catch (RejectedExecutionException e) {
                closeQuietly(client);
                return; // shutting down
            }
        }
    }

    private void route(Socket client) {
        open.add(client);
        Socket backend = null;
        try {
            client.setTcpNoDelay(true);
            client.setSoTimeout(FIRST_BYTE_TIMEOUT_MS);
            InputStream in = client.getInputStream();
            int first = in.read();
            if (first < 0) {
                close(client);
                return;
            }
            client.setSoTimeout(0);
            int to = first == TLS_HANDSHAKE ? tlsPort.getAsInt() : plainPort.getAsInt();
            backend = new Socket(InetAddress.getLoopbackAddress(), to);
            backend.setTcpNoDelay(true);
            open.add(backend);
            OutputStream out = backend.getOutputStream();
            out.write(first);
            Socket b = backend;
            AtomicInteger ended = new AtomicInteger();
            threads.execute(() -> pipe(b, client, ended));
            pipe(client, backend, ended);
        } catch (IOException | RuntimeException e) {
            close(client);
            if (backend != null) close(backend);
        }
    }

    /**
     * Copies {@code from} → {@code to} until {@code from} ends, then passes the end on (half
     * close), so a server that closes mid-body (a dropped download) looks the same to the
     * client as it would without the relay. Both sockets go once neither direction carries data.
     */
    private void pipe(Socket from, Socket to, AtomicInteger ended) {
        byte[] buf = new byte[64 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buf)) != -1; ) {
                out.write(buf, 0, n);
                out.flush();
            }
            to.shutdownOutput();
            if (ended.incrementAndGet() == 2) {
                close(from);
                close(to);
            }
        } catch (IOException e) {
            // a reset on one side resets the other: the client sees the connection fail
            close(from);
            close(to);
        }
    }

    private void close(Socket s) {
        open.remove(s);
        closeQuietly(s);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // already closed
        }
        for (Socket s : open) close(s);
    }
}
