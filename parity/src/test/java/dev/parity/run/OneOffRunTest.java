package dev.parity.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OneOffRunTest {
    @TempDir
    Path tmp;

    @Test
    void attachUrlGivesHostPortAndSecret() {
        assertEquals(new OneOffRun.AttachUrl("rendezvous.runtime.heroku.com", 5000, "s3cr3t"),
                OneOffRun.AttachUrl.parse("rendezvous://rendezvous.runtime.heroku.com:5000/s3cr3t"));
        assertEquals(new OneOffRun.AttachUrl("127.0.0.1", 40001, "abc?x=1"),
                OneOffRun.AttachUrl.parse("rendezvous://127.0.0.1:40001/abc?x=1"));
        assertEquals(5000, OneOffRun.AttachUrl.parse("rendezvous://host/abc").port());
    }

    @Test
    void otherSchemesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OneOffRun.AttachUrl.parse("https://ssh.example.com/abc"));
        assertTrue(e.getMessage().contains("not a rendezvous:// URL"), e.getMessage());
    }

    @Test
    void withoutExtraCertificatesTheJvmDefaultIsUsed() throws IOException {
        assertEquals(SSLSocketFactory.getDefault().getClass(), OneOffRun.socketFactory(Map.of()).getClass());
    }

    @Test
    void unreadableOrEmptyCertificateFilesAreNamed() throws IOException {
        IOException missing = assertThrows(IOException.class,
                () -> OneOffRun.socketFactory(Map.of("PARITY_CA_CERTS", tmp.resolve("none.pem").toString())));
        assertTrue(missing.getMessage().contains("PARITY_CA_CERTS names"), missing.getMessage());
        Path junk = Files.writeString(tmp.resolve("junk.pem"), "not a certificate\n");
        IOException bad = assertThrows(IOException.class,
                () -> OneOffRun.socketFactory(Map.of("NODE_EXTRA_CA_CERTS", junk.toString())));
        assertTrue(bad.getMessage().contains("NODE_EXTRA_CA_CERTS names"), bad.getMessage());
    }
}
