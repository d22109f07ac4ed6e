package dev.parity.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProjectTest {

    private static final LocalDatabase WITH_PASSWORD = new LocalDatabase("app_dev", Optional.of("localhost"),
            Optional.of("5432"), Optional.of("app"), Optional.of("s3cr3t-pw"), "config/database.yml development.database");

    @Test
    void unknownProjectHasNoCommandsAndNoDatabase() {
        Project unknown = Project.unknown();
        assertEquals("unknown", unknown.framework());
        assertFalse(unknown.isKnown());
        assertTrue(unknown.migrate().isEmpty());
        assertTrue(unknown.console().isEmpty());
        assertTrue(unknown.developmentDatabase().isEmpty());
    }

    @Test
    void passwordIsNotInLocalDatabaseToString() {
        String text = WITH_PASSWORD.toString();
        assertFalse(text.contains("s3cr3t-pw"), text);
        assertTrue(text.contains("<redacted>"), text);
        assertTrue(text.contains("app_dev") && text.contains("localhost") && text.contains("5432"), text);
    }

    @Test
    void passwordIsNotInProjectToString() {
        Project p = new Project("Rails", "config/database.yml", Optional.of("m"), Optional.of("c"), Optional.of(WITH_PASSWORD));
        assertFalse(p.toString().contains("s3cr3t-pw"), p.toString());
    }

    @Test
    void toStringShowsWhenThereIsNoPassword() {
        assertTrue(LocalDatabase.named("app_dev", "x").toString().contains("password=Optional.empty"));
    }

    @Test
    void blankDatabaseNameIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> LocalDatabase.named(" ", "somewhere"));
    }
}
