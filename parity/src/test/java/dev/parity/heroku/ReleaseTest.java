package dev.parity.heroku;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReleaseTest {

    private static Release release(String json) throws Exception {
        JsonNode n = HerokuApi.JSON.readTree(json);
        return Release.of(n);
    }

    @Test
    void theCurrentReleaseIsTheMarkedOneElseTheNewestThatSucceeded() throws Exception {
        Release v3failed = release("{\"version\":3,\"status\":\"failed\"}");
        Release v2 = release("{\"version\":2,\"status\":\"succeeded\"}");
        Release v1 = release("{\"version\":1,\"status\":\"succeeded\",\"current\":true}");
        assertEquals(1, Release.current(List.of(v3failed, v2, v1)).orElseThrow().version(), "the API's mark wins");
        assertEquals(2, Release.current(List.of(v1.withCurrent(false), v3failed, v2)).orElseThrow().version());
        assertTrue(Release.current(List.of(v3failed)).isEmpty());
    }

    @Test
    void readsSlugOutputStreamAndDescribedCommit() throws Exception {
        Release r = release("{\"id\":\"r1\",\"version\":42,\"status\":\"pending\",\"description\":\"Deploy abcdef1\","
                + "\"created_at\":\"2024-01-25T16:00:00Z\",\"slug\":{\"id\":\"s1\"},\"output_stream_url\":\"https://x/o\"}");
        assertEquals(Optional.of("s1"), r.slugId());
        assertEquals(Optional.of("https://x/o"), r.outputStreamUrl());
        assertEquals(Optional.of("abcdef1"), r.describedCommit());
        assertEquals("v42", r.label());
        assertTrue(r.pending());
        Release bare = release("{\"version\":1,\"slug\":null,\"output_stream_url\":null,\"created_at\":\"garbled\"}");
        assertTrue(bare.slugId().isEmpty() && bare.outputStreamUrl().isEmpty() && bare.createdAt() == null);
    }
}
