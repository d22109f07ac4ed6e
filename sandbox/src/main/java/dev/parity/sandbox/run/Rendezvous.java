package dev.parity.sandbox.run;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * The loopback TLS listener one-off dynos attach through (section 3.4): the client sends the
 * secret of its {@code attach_url} and a CRLF, the server answers {@code rendezvous\r\n}, then the
 * connection is the dyno's terminal. A secret works once; an unknown one is refused.
 */
public final class Rendezvous implements AutoCloseable {
    private static final int GREETING_TIMEOUT_MS = 10_000;
    private static final int MAX_SECRET = 256;

    private final SSLServerSocket server;
    private final ExecutorService threads;
    private final Map<String, Consumer<SSLSocket>> waiting = new ConcurrentHashMap<>();

    public Rendezvous(SSLContext context, ExecutorService threads) throws IOException {
        this.threads = threads;
        this.server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::acceptAll);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Waits for a client presenting {@code secret}, hands it the connection, and returns the attach URL. */
    public String expect(String secret, Consumer<SSLSocket> onAttach) {
        waiting.put(secret, onAttach);
        return "rendezvous://127.0.0.1:" + port() + "/" + secret;
    }

    /** Stops waiting for {@code secret}; false if a client already attached. */
    public boolean forget(String secret) {
        return waiting.remove(secret) != null;
    }

    private void acceptAll() {
        while (!server.isClosed()) {
            try {
                SSLSocket client = (SSLSocket) server.accept();
                threads.execute(() -> greet(client));
            } catch (IOException e) {
                if (server.isClosed()) return;
            } catch (java.util.concurrent.RejectedExecutionException e) {
                return; // shutting down
            }
        }
    }

    private void greet(SSLSocket client) {
        Consumer<SSLSocket> onAttach;
        try {
            client.setSoTimeout(GREETING_TIMEOUT_MS);
            client.setTcpNoDelay(true);
            String secret = readLine(client.getInputStream());
            onAttach = secret == null ? null : waiting.remove(secret);
            if (onAttach == null) {
                closeCleanly(client);
                return;
            }
            client.setSoTimeout(0);
            OutputStream out = client.getOutputStream();
            // Its own TLS record: the CLI discards the first chunk it receives.
            out.write("rendezvous\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            closeQuietly(client);
            return;
        }
        onAttach.accept(client);
    }

    /** One CRLF- or LF-terminated line, or null if the client sends no line in time. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != -1; ) {
            if (b == '\n') return line.toString(StandardCharsets.UTF_8).replaceFirst("\r$", "");
            if (line.size() >= MAX_SECRET) return null;
            line.write(b);
        }
        return null;
    }

    /**
     * TLS close_notify, then FIN; the peer's own close is then read before the socket goes, since
     * closing with unread input sends an RST (which the CLI reports as ECONNRESET).
     */
    static void closeCleanly(SSLSocket socket) {
        try {
            socket.shutdownOutput();
            socket.setSoTimeout(2_000);
            InputStream in = socket.getInputStream();
            byte[] rest = new byte[4096];
            while (in.read(rest) != -1) {
                // discard what the client still sends
            }
        } catch (IOException | RuntimeException ignored) {
            // the peer is gone already
        } finally {
            closeQuietly(socket);
        }
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }

    @Override
    public void close() {
        waiting.clear();
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
