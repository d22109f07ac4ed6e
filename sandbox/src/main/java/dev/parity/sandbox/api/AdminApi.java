package dev.parity.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parity.sandbox.data.DownloadRate;
import dev.parity.sandbox.http.Faults;
import dev.parity.sandbox.http.ApiError;
import dev.parity.sandbox.http.Part;
import dev.parity.sandbox.http.Response;
import dev.parity.sandbox.http.Router;
import dev.parity.sandbox.model.Platform;
import java.time.Duration;
import java.util.Map;

/**
 * The sandbox's own controls under {@code /sandbox/…} (Bearer token required): create apps, switch
 * faults on and off, make a process type crash on boot, change the boot delay and the rate backup
 * downloads are served at.
 */
public final class AdminApi implements Part {
    private final Platform platform;
    private final Faults faults;
    private final DownloadRate downloadRate;

    public AdminApi(Platform platform, Faults faults, DownloadRate downloadRate) {
        this.platform = platform;
        this.faults = faults;
        this.downloadRate = downloadRate;
    }

    @Override
    public void register(Router r) {
        r.addAdmin("POST", "/sandbox/apps", q -> {
            JsonNode b = q.json();
            Map<String, Integer> formation = Platform.parseFormation(b.path("formation").asText(""));
            return Response.created(Views.app(platform, platform.createApp(b.path("name").asText(), b.path("postgres").asBoolean(false), formation)));
        });
        r.addAdmin("POST", "/sandbox/faults", q -> {
            JsonNode b = q.json();
            if (b.path("clear").asBoolean(false)) faults.clear();
            if (b.has("fail")) faults.failNext(b.path("fail").asInt(), b.path("status").asInt(500), b.path("retry_after").asInt(1));
            if (b.has("latency_ms")) faults.latency(b.path("latency_ms").asLong());
            // {"method": "POST", "count": 1, "before": 409 | "after": 503 | "drop_after": true | "delay_answer_ms": 5000}
            if (b.has("method")) {
                String method = b.path("method").asText();
                int count = b.path("count").asInt(1);
                if (b.has("before")) faults.failNext(method, count, b.path("before").asInt());
                if (b.has("after")) faults.failNextAfterHandling(method, count, b.path("after").asInt());
                if (b.path("drop_after").asBoolean(false)) faults.dropNextAfterHandling(method, count);
                if (b.has("delay_answer_ms")) faults.delayNextAnswer(method, count, b.path("delay_answer_ms").asLong());
            }
            if (b.has("fail_restores")) faults.failRestores(b.path("fail_restores").asInt());
            return Response.ok(Map.of("ok", true));
        });
        r.addAdmin("POST", "/sandbox/crash-on-boot", q -> {
            JsonNode b = q.json();
            platform.crashOnBoot(b.path("type").asText(), b.path("crash").asBoolean(true));
            return Response.ok(Map.of("ok", true));
        });
        // {"rate": "50MB/s"} (or "unlimited"); without a rate, only reports the current one
        r.addAdmin("POST", "/sandbox/download-rate", q -> {
            JsonNode b = q.json();
            if (b.has("rate")) {
                try {
                    downloadRate.set(DownloadRate.parse(b.path("rate").asText()));
                } catch (IllegalArgumentException e) {
                    throw ApiError.invalidParams(e.getMessage());
                }
            }
            return Response.ok(rateView());
        });
        r.addAdmin("GET", "/sandbox/download-rate", q -> Response.ok(rateView()));
        r.addAdmin("POST", "/sandbox/boot-delay", q -> {
            platform.bootDelay(Duration.ofMillis(q.json().path("millis").asLong(1000)));
            return Response.ok(Map.of("ok", true));
        });
    }

    private Map<String, Object> rateView() {
        long r = downloadRate.bytesPerSecond();
        return Map.of("bytes_per_second", r, "rate", DownloadRate.describe(r));
    }
}
