package dev.parity.sandbox.run;

import dev.parity.process.Command;
import dev.parity.process.SystemProcessRunner;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The rendezvous listener's TLS identity: a CA and a server certificate for 127.0.0.1 signed by
 * it, made with the JDK's keytool. The CA is exported as PEM for {@code NODE_EXTRA_CA_CERTS}
 * (the heroku CLI verifies the certificate) and for Java clients.
 */
public final class Certificates {
    public static final String CA_FILE = "rendezvous-ca.pem";
    private static final String PASS_VAR = "RENDEZVOUS_STOREPASS";

    /** What the listener needs; the CA's private key stays in the directory it was made in. */
    private record Material(byte[] serverKeystore, String password, byte[] serverPem, byte[] caPem) {}

    // Four keytool runs cost about 1.5 s of CPU; a JVM that starts many sandboxes (the test suite)
    // makes the identity once and gives each sandbox a copy.
    private static Material made;

    private final Path caPem;
    private final SSLContext context;

    private Certificates(Path caPem, SSLContext context) {
        this.caPem = caPem;
        this.context = context;
    }

    /** Makes (or copies) the identity into {@code dir} and loads it. */
    public static Certificates in(Path dir, SystemProcessRunner runner) {
        try {
            Material m = material(dir.resolve("rendezvous"), runner);
            Path ca = dir.resolve(CA_FILE);
            Files.write(ca, m.caPem());
            KeyStore store = serverStore(m);
            try (var out = Files.newOutputStream(dir.resolve("rendezvous").resolve("rendezvous.p12"))) {
                store.store(out, m.password().toCharArray());
            }
            return new Certificates(ca, context(store, m.password().toCharArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the rendezvous certificate: " + e.getMessage(), e);
        }
    }

    /** The CA certificate (PEM) a client must trust to reach the listener. */
    public Path caPem() {
        return caPem;
    }

    public SSLContext context() {
        return context;
    }

    private static synchronized Material material(Path work, SystemProcessRunner runner) throws IOException {
        if (made == null) made = generate(work, runner);
        Files.createDirectories(work);
        return made;
    }

    private static Material generate(Path work, SystemProcessRunner runner) throws IOException {
        Files.createDirectories(work);
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        String pass = HexFormat.of().formatHex(random);
        Path ca = work.resolve("ca.p12");
        Path server = work.resolve("server.p12");
        Path csr = work.resolve("server.csr");
        Path serverPem = work.resolve("server.pem");
        Path caPem = work.resolve("ca.pem");
        for (Path p : List.of(ca, server, csr, serverPem, caPem)) Files.deleteIfExists(p);
        keytool(runner, pass, "-genkeypair", "-alias", "ca", "-keystore", ca.toString(), "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=parity sandbox rendezvous CA", "-ext", "bc:c", "-validity", "3650");
        keytool(runner, pass, "-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-file", caPem.toString());
        keytool(runner, pass, "-genkeypair", "-alias", "server", "-keystore", server.toString(), "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=127.0.0.1", "-validity", "3650");
        keytool(runner, pass, "-certreq", "-alias", "server", "-keystore", server.toString(), "-file", csr.toString());
        keytool(runner, pass, "-gencert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-infile", csr.toString(),
                "-outfile", serverPem.toString(), "-validity", "3650", "-ext", "san=IP:127.0.0.1,DNS:localhost",
                "-ext", "ku:c=digitalSignature,keyEncipherment", "-ext", "eku=serverAuth");
        return new Material(Files.readAllBytes(server), pass, Files.readAllBytes(serverPem), Files.readAllBytes(caPem));
    }

    private static void keytool(SystemProcessRunner runner, String pass, String... args) throws IOException {
        // A PKCS12 key's password is the store's; the -J flags make each short run start faster.
        Command c = Command.of(keytoolProgram(), "-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC").plus(List.of(args))
                .plus(List.of("-storetype", "PKCS12", "-storepass:env", PASS_VAR, "-noprompt"))
                .withSecretEnv(PASS_VAR, pass);
        Process p = runner.start(c, true);
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) throw new IllegalStateException("keytool " + args[0] + " failed: " + output.strip());
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making the rendezvous certificate");
        }
    }

    /** The keytool of the running JDK, else the one on PATH. */
    private static String keytoolProgram() {
        Path own = Path.of(System.getProperty("java.home"), "bin", "keytool");
        return Files.isExecutable(own) ? own.toString() : "keytool";
    }

    /** The server key with its chain server → CA. */
    private static KeyStore serverStore(Material m) throws IOException, GeneralSecurityException {
        KeyStore generated = KeyStore.getInstance("PKCS12");
        try (InputStream in = new ByteArrayInputStream(m.serverKeystore())) {
            generated.load(in, m.password().toCharArray());
        }
        PrivateKey key = (PrivateKey) generated.getKey("server", m.password().toCharArray());
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        Certificate signed = x509.generateCertificate(new ByteArrayInputStream(m.serverPem()));
        Certificate ca = x509.generateCertificate(new ByteArrayInputStream(m.caPem()));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] pw = m.password().toCharArray();
        store.setKeyEntry("server", key, pw, new Certificate[] {signed, ca});
        return store;
    }

    private static SSLContext context(KeyStore store, char[] pw) throws GeneralSecurityException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, pw);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, new SecureRandom());
        return context;
    }

    /** An SSL context that trusts only {@code caPem}: for Java clients of the listener. */
    public static SSLContext trusting(Path caPem) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), new SecureRandom());
        return context;
    }
}
