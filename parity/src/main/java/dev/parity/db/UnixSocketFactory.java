package dev.parity.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import javax.net.SocketFactory;

/**
 * Lets pgjdbc reach a server on its Unix-domain socket ({@code /var/run/postgresql/.s.PGSQL.5432}),
 * where libpq connects by default, with the JDK's own Unix-domain channels. pgjdbc instantiates it
 * by name with the socket's path as its argument, and uses a socket that is already connected as it is.
 */
public final class UnixSocketFactory extends SocketFactory {
    private final Path path;

    public UnixSocketFactory(String path) {
        this.path = Path.of(path);
    }

    @Override
    public Socket createSocket() throws IOException {
        return new UnixSocket(path);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return createSocket();
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return createSocket();
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return createSocket();
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return createSocket();
    }

    /** A connected Unix-domain socket behind the {@link Socket} face pgjdbc expects; TCP options do not apply. */
    private static final class UnixSocket extends Socket {
        private final SocketChannel channel;
        private final InputStream in;
        private final OutputStream out;
        private int timeout;

        UnixSocket(Path path) throws IOException {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                channel.connect(UnixDomainSocketAddress.of(path));
            } catch (IOException e) {
                channel.close();
                throw new IOException("cannot connect to the socket " + path + ": " + e.getMessage(), e);
            }
            in = Channels.newInputStream(channel);
            out = Channels.newOutputStream(channel);
        }

        @Override
        public void connect(SocketAddress endpoint, int timeout) {
            // connected already
        }

        @Override
        public boolean isConnected() {
            return true;
        }

        @Override
        public boolean isClosed() {
            return !channel.isOpen();
        }

        @Override
        public InputStream getInputStream() {
            return in;
        }

        @Override
        public OutputStream getOutputStream() {
            return out;
        }

        @Override
        public synchronized void close() throws IOException {
            channel.close();
        }

        @Override
        public void shutdownInput() throws IOException {
            channel.shutdownInput();
        }

        @Override
        public void shutdownOutput() throws IOException {
            channel.shutdownOutput();
        }

        @Override
        public void setTcpNoDelay(boolean on) {
        }

        @Override
        public void setKeepAlive(boolean on) {
        }

        @Override
        public void setSoTimeout(int timeout) {
            this.timeout = timeout; // reads block; parity sets no statement timeouts on local sockets
        }

        @Override
        public int getSoTimeout() {
            return timeout;
        }

        @Override
        public void setSendBufferSize(int size) {
        }

        @Override
        public void setReceiveBufferSize(int size) {
        }

        @Override
        public int getSendBufferSize() {
            return 65536;
        }

        @Override
        public int getReceiveBufferSize() {
            return 65536;
        }
    }
}
