package dev.parity.sandbox.git;

import com.sun.net.httpserver.HttpExchange;
import dev.parity.process.Command;
import dev.parity.process.SystemProcessRunner;
import dev.parity.sandbox.model.App;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Git's smart HTTP protocol, served by {@code git http-backend} run as a CGI program for each
 * request: the request body goes to its stdin, its stdout is a CGI answer (headers, a blank
 * line, the body) relayed to the client as it comes, so hook output reaches the pusher live.
 */
public final class GitHttp {
    private final SystemProcessRunner runner;
    private final Set<Process> running;

    GitHttp(SystemProcessRunner runner, Set<Process> running) {
        this.runner = runner;
        this.running = running;
    }

    /**
     * Serves one request for {@code app}'s repository. {@code subPath} is what follows
     * {@code /APP.git} ({@code /info/refs}, {@code /git-receive-pack}); {@code hookEnv} is
     * passed through http-backend to git's hooks.
     */
    public void serve(HttpExchange ex, App app, String subPath, Map<String, String> hookEnv) throws IOException, InterruptedException {
        Command c = Command.of("git", "http-backend");
        for (Map.Entry<String, String> e : cgiEnv(ex, app, subPath).entrySet()) c = c.withEnv(e.getKey(), e.getValue());
        for (Map.Entry<String, String> e : hookEnv.entrySet()) c = c.withEnv(e.getKey(), e.getValue());
        Process p = runner.start(c, false);
        running.add(p);
        try {
            Thread body = daemon("sandbox-git-body", () -> copyAndClose(ex.getRequestBody(), p.getOutputStream()));
            ByteArrayOutputStream errors = new ByteArrayOutputStream();
            Thread err = daemon("sandbox-git-stderr", () -> copyAndClose(p.getErrorStream(), errors));
            InputStream out = new BufferedInputStream(p.getInputStream());
            int status = readHeaders(out, ex);
            if (status < 0) {
                p.waitFor();
                err.join();
                sendError(ex, "git http-backend gave no answer: " + errors.toString(StandardCharsets.UTF_8).strip());
                return;
            }
            ex.sendResponseHeaders(status, status == 204 || status == 304 ? -1 : 0);
            if (status != 204 && status != 304 && !relay(out, ex.getResponseBody())) return;
            p.waitFor();
            body.join(1000);
            err.join(1000);
        } finally {
            p.destroy();
            running.remove(p);
        }
    }

    private static Map<String, String> cgiEnv(HttpExchange ex, App app, String subPath) {
        Map<String, String> env = new LinkedHashMap<>(Git.ISOLATED);
        // The app's directory is the project root and the repository its repo.git: so /APP.git/x
        // becomes PATH_INFO /repo.git/x, and no other directory can be reached.
        env.put("GIT_PROJECT_ROOT", app.gitDir.getParent().toString());
        env.put("GIT_HTTP_EXPORT_ALL", "1");
        env.put("PATH_INFO", "/" + app.gitDir.getFileName() + subPath);
        env.put("REQUEST_METHOD", ex.getRequestMethod());
        String query = ex.getRequestURI().getRawQuery();
        env.put("QUERY_STRING", query == null ? "" : query);
        env.put("GATEWAY_INTERFACE", "CGI/1.1");
        env.put("SERVER_PROTOCOL", "HTTP/1.1");
        env.put("REMOTE_ADDR", ex.getRemoteAddress().getAddress().getHostAddress());
        env.put("REMOTE_USER", remoteUser(ex.getRequestHeaders().getFirst("Authorization")));
        putHeader(env, ex, "CONTENT_TYPE", "Content-Type");
        // Unset for a chunked body: http-backend then reads its stdin to the end.
        putHeader(env, ex, "CONTENT_LENGTH", "Content-Length");
        putHeader(env, ex, "HTTP_CONTENT_ENCODING", "Content-Encoding");
        putHeader(env, ex, "HTTP_GIT_PROTOCOL", "Git-Protocol");
        return env;
    }

    private static void putHeader(Map<String, String> env, HttpExchange ex, String var, String header) {
        String v = ex.getRequestHeaders().getFirst(header);
        if (v != null) env.put(var, v);
    }

    /** The user name of a Basic {@code Authorization} header, which git may send; never required. */
    static String remoteUser(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) return "sandbox";
        try {
            String pair = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            String user = colon < 0 ? pair : pair.substring(0, colon);
            return user.isBlank() ? "sandbox" : user;
        } catch (IllegalArgumentException e) {
            return "sandbox";
        }
    }

    /** Reads the CGI headers into the response; returns the status, or -1 if the program said nothing. */
    static int readHeaders(InputStream in, HttpExchange ex) throws IOException {
        int status = 200;
        boolean any = false;
        for (String line = readLine(in); line != null; line = readLine(in)) {
            if (line.isEmpty()) return status;
            any = true;
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            String name = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            if (name.equalsIgnoreCase("Status")) {
                status = Integer.parseInt(value.split(" ", 2)[0]);
            } else {
                ex.getResponseHeaders().add(name, value);
            }
        }
        return any ? status : -1;
    }

    /** One header line without its line ending; null at end of stream. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') line.write(b);
        if (b == -1 && line.size() == 0) return null;
        String s = line.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /**
     * Copies and flushes each read at once, so progress and hook output are not held back.
     * Returns false when the client hung up (the caller then stops the backend).
     */
    private static boolean relay(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[16384];
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
            try {
                out.write(buf, 0, n);
                out.flush();
            } catch (IOException clientGone) {
                return false;
            }
        }
        try {
            out.close();
            return true;
        } catch (IOException clientGone) {
            return false;
        }
    }

    private static void sendError(HttpExchange ex, String message) throws IOException {
        byte[] b = (message + "\n").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(500, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    private static void copyAndClose(InputStream in, OutputStream out) {
        try (in; out) {
            in.transferTo(out);
        } catch (IOException ignored) {
            // the other side hung up; the process's exit tells the rest
        }
    }

    private static Thread daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
