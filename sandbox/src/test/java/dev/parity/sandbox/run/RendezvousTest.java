package dev.parity.sandbox.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parity.sandbox.api.RunApi;
import dev.parity.sandbox.http.Json;
import dev.parity.sandbox.model.App;
import dev.parity.sandbox.support.SandboxFixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rendezvous protocol from a Java client that trusts only the exported CA. */
class RendezvousTest {
    @TempDir
    Path tmp;
    SandboxFixture f;
    App app;

    @BeforeEach
    void setUp() throws Exception {
        f = SandboxFixture.start(tmp);
        app = f.sandbox().createApp("demo-run", false, Map.of());
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void theSecretAttachesOnceAndAWrongOneIsRefused() throws Exception {
        JsonNode dyno = createDyno("echo attached", true);
        assertEquals(201, dyno.path("status").asInt());
        assertEquals("starting", dyno.path("state").asText());
        URI url = URI.create(dyno.path("attach_url").asText());
        assertEquals("rendezvous", url.getScheme());
        assertEquals("127.0.0.1", url.getHost());
        String secret = url.getPath().substring(1);

        assertEquals("", session(url, "not-" + secret, ""), "a wrong secret gets nothing and a close");
        assertEquals("rendezvous\r\nattached\r\n", session(url, secret, ""));
        assertEquals("", session(url, secret, ""), "a secret works once");
    }

    @Test
    void detachedDynoHasNoAttachUrl() throws Exception {
        JsonNode dyno = createDyno("true", false);
        assertTrue(dyno.path("attach_url").isNull(), dyno.toString());
        assertTrue(dyno.path("name").asText().matches("run\\.\\d{4}"), dyno.toString());
    }

    @Test
    void controlCStopsTheCommand() throws Exception {
        // sleep 600 outlives any wait below: the dyno can only be gone because ^C stopped it
        URI url = URI.create(createDyno("echo ready; sleep 600", true).path("attach_url").asText());
        try (SSLSocket s = connect(url)) {
            s.getOutputStream().write((url.getPath().substring(1) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            assertEquals("rendezvous\r\nready\r\n", readUntil(in, "ready\r\n"));
            s.getOutputStream().write(0x03);
            s.getOutputStream().flush();
            in.readAllBytes(); // the shell may report the signal; then the connection closes
        }
        SandboxFixture.await(Duration.ofSeconds(60), () -> app.dynosSnapshot().isEmpty());
    }

    @Test
    void anUntrustedClientFailsTheHandshake() throws Exception {
        URI url = URI.create(createDyno("true", true).path("attach_url").asText());
        try (SSLSocket s = (SSLSocket) javax.net.ssl.SSLSocketFactory.getDefault().createSocket(url.getHost(), url.getPort())) {
            assertThrows(SSLHandshakeException.class, s::startHandshake);
        }
    }

    @Test
    void closingTheSandboxKillsRunningDynos() throws Exception {
        createDyno("echo $$ > pid; exec sleep 30", false);
        Path pidFile = app.codeDir.resolve("pid");
        SandboxFixture.await(Duration.ofSeconds(10), () -> Files.exists(pidFile) && !readQuietly(pidFile).isBlank());
        long pid = Long.parseLong(readQuietly(pidFile).trim());
        assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        f.close();
        SandboxFixture.await(Duration.ofSeconds(5), () -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    void missingCommandIs422() throws Exception {
        HttpResponse<String> r = post("{\"attach\":true}");
        assertEquals(422, r.statusCode(), r.body());
        assertNull(app.dynosSnapshot().stream().findAny().orElse(null));
    }

    /** Connects, sends {@code secret}, then {@code input}, and returns all it receives until the server closes. */
    private String session(URI url, String secret, String input) throws Exception {
        try (SSLSocket s = connect(url)) {
            s.getOutputStream().write((secret + "\r\n" + input).getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private SSLSocket connect(URI url) throws Exception {
        var context = Certificates.trusting(f.sandbox().part(RunApi.class).caCertificate());
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(url.getHost(), url.getPort());
        s.setSoTimeout(10_000);
        var params = s.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS"); // checks the SAN IP:127.0.0.1, as node does
        s.setSSLParameters(params);
        return s;
    }

    private static String readUntil(InputStream in, String end) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        while (!got.toString(StandardCharsets.UTF_8).endsWith(end)) {
            int b = in.read();
            if (b == -1) break;
            got.write(b);
        }
        return got.toString(StandardCharsets.UTF_8);
    }

    private JsonNode createDyno(String command, boolean attach) throws Exception {
        HttpResponse<String> r = post(Json.MAPPER.writeValueAsString(Map.of("command", command, "attach", attach, "env", Map.of("TERM", "xterm"))));
        var node = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(r.body());
        node.put("status", r.statusCode());
        return node;
    }

    private HttpResponse<String> post(String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(f.sandbox().baseUrl() + "/apps/demo-run/dynos"))
                .header("Authorization", "Bearer " + f.sandbox().token())
                .header("Accept", "application/vnd.heroku+json; version=3")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }
}
