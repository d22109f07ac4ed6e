package dev.parity.run;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The client side of Heroku's rendezvous protocol (section 3.4): a TLS connection to the dyno's
 * {@code attach_url}, the secret, one {@code rendezvous} line, then the dyno's output. stdin is not
 * forwarded: {@code \x04} (EOF) is sent at once, as the CLI does when its stdin is not a terminal.
 */
public final class OneOffRun {
    static final int CONNECT_TIMEOUT_MS = 30_000;
    static final int READ_TIMEOUT_MS = 3_600_000;
    private static final byte EOF = 0x04;

    /** Where to attach: {@code rendezvous://host:port/secret}. */
    public record AttachUrl(String host, int port, String secret) {
        public static AttachUrl parse(String url) {
            URI u;
            try {
                u = URI.create(url);
            } catch (IllegalArgumentException e) {
                // the parser's message quotes the URL, secret included: say only what is wrong
                throw new IllegalArgumentException("the dyno's attach_url is not a URL");
            }
            if (!"rendezvous".equals(u.getScheme()) || u.getHost() == null) {
                throw new IllegalArgumentException("the dyno's attach_url is not a rendezvous:// URL (scheme "
                        + u.getScheme() + "); parity cannot attach to it");
            }
            String path = u.getRawPath() == null ? "" : u.getRawPath();
            String secret = (path.startsWith("/") ? path.substring(1) : path)
                    + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
            return new AttachUrl(u.getHost(), u.getPort() < 0 ? 5000 : u.getPort(), secret);
        }

        @Override
        public String toString() {
            return "rendezvous://" + host + ":" + port + "/<secret>";
        }
    }

    /** The session ended without the exit-status line (the dyno was killed, the connection dropped). */
    public static final class NoExitCode extends IOException {
        public NoExitCode() {
            super("No exit code returned");
        }
    }

    private final SSLSocketFactory tls;

    public OneOffRun(SSLSocketFactory tls) {
        this.tls = tls;
    }

    /** Attaches, copies the output to {@code out} without the marker line, and returns the command's exit status. */
    public int attach(String attachUrl, OutputStream out) throws IOException {
        AttachUrl a = AttachUrl.parse(attachUrl);
        try (SSLSocket socket = (SSLSocket) tls.createSocket()) {
            SSLParameters params = socket.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host
            socket.setSSLParameters(params);
            socket.connect(new InetSocketAddress(a.host(), a.port()), CONNECT_TIMEOUT_MS);
            socket.setSoTimeout(READ_TIMEOUT_MS);
            socket.setTcpNoDelay(true);
            OutputStream toDyno = socket.getOutputStream();
            toDyno.write((a.secret() + "\r\n").getBytes(StandardCharsets.UTF_8));
            toDyno.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            ExitMarker filter = new ExitMarker(out);
            byte[] first = readLine(in);
            String firstLine = new String(first, StandardCharsets.UTF_8).strip();
            if (!firstLine.equals("rendezvous")) filter.write(first, 0, first.length); // not the greeting: output
            toDyno.write(EOF);
            toDyno.flush();
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) != -1; ) {
                filter.write(buf, 0, n);
            }
            filter.finish();
            return filter.status().orElseThrow(NoExitCode::new);
        }
    }

    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != -1; ) {
            line.write(b);
            if (b == '\n') break;
        }
        return line.toByteArray();
    }

    /**
     * TLS that trusts the JVM's certificate authorities plus the PEM certificates named by
     * {@code PARITY_CA_CERTS} or {@code NODE_EXTRA_CA_CERTS} (what the heroku CLI honours).
     */
    public static SSLSocketFactory socketFactory(Map<String, String> env) throws IOException {
        List<X509Certificate> extra = new ArrayList<>();
        for (String var : new String[] {"PARITY_CA_CERTS", "NODE_EXTRA_CA_CERTS"}) {
            String file = env.get(var);
            if (file == null || file.isBlank()) continue;
            extra.addAll(readPem(Path.of(file), var));
        }
        if (extra.isEmpty()) return (SSLSocketFactory) SSLSocketFactory.getDefault();
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            for (int i = 0; i < extra.size(); i++) ks.setCertificateEntry("extra-" + i, extra.get(i));
            X509TrustManager added = trustManager(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new Either(added)}, null);
            return ctx.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> readPem(Path file, String var) throws IOException {
        if (!Files.isReadable(file)) throw new IOException(var + " names " + file + ", which cannot be read");
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> certs = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                if (c instanceof X509Certificate x) certs.add(x);
            }
            return certs;
        } catch (CertificateException e) {
            throw new IOException(var + " names " + file + ", which holds no PEM certificate: " + e.getMessage(), e);
        }
    }

    private static X509TrustManager trustManager(KeyStore ks) throws GeneralSecurityException {
        TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        f.init(ks);
        for (TrustManager t : f.getTrustManagers()) {
            if (t instanceof X509TrustManager x) return x;
        }
        throw new GeneralSecurityException("no X509 trust manager");
    }

    /**
     * Trusts a server that the extra certificates or the JVM's authorities trust. The JVM's store
     * (~100 certificates to parse) is loaded only when the extra ones do not suffice.
     */
    private static final class Either implements X509TrustManager {
        private final X509TrustManager added;
        private X509TrustManager system;

        Either(X509TrustManager added) {
            this.added = added;
        }

        private synchronized X509TrustManager system() throws CertificateException {
            if (system == null) {
                try {
                    system = trustManager(null);
                } catch (GeneralSecurityException e) {
                    throw new CertificateException("cannot load the JVM's trusted certificates: " + e.getMessage(), e);
                }
            }
            return system;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                added.checkClientTrusted(chain, authType);
            } catch (CertificateException e) {
                system().checkClientTrusted(chain, authType);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                added.checkServerTrusted(chain, authType);
            } catch (CertificateException e) {
                system().checkServerTrusted(chain, authType);
            }
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            X509Certificate[] a = added.getAcceptedIssuers();
            X509Certificate[] b;
            try {
                b = system().getAcceptedIssuers();
            } catch (CertificateException e) {
                return a;
            }
            X509Certificate[] all = java.util.Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, all, a.length, b.length);
            return all;
        }
    }
}
