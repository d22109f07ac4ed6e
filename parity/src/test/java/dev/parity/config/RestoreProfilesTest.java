package dev.parity.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code restore_profiles} in .parity.yml: read as written, and every mistake named in one line. */
class RestoreProfilesTest {
    @TempDir
    Path root;

    @Test
    void profilesAreReadWithListsOrSingleNames() throws Exception {
        Files.writeString(root.resolve(".parity.yml"), "restore_profiles:\n  small:\n    exclude_data: [events, audit.logs]\n"
                + "  shop: {only: customers, exclude: [], exclude_data: orders}\n");
        Map<String, RestoreProfiles.Profile> p = RestoreProfiles.load(root);
        assertEquals(new RestoreProfiles.Profile(List.of(), List.of(), List.of("events", "audit.logs")), p.get("small"));
        assertEquals(new RestoreProfiles.Profile(List.of("customers"), List.of(), List.of("orders")), p.get("shop"));
        assertEquals(List.of("small", "shop"), List.copyOf(p.keySet()));
    }

    @Test
    void noFileOrNoSectionIsNoProfiles() throws Exception {
        assertEquals(Map.of(), RestoreProfiles.load(root));
        Files.writeString(root.resolve(".parity.yml"), "deploy_branch: main\n");
        assertEquals(Map.of(), RestoreProfiles.load(root));
    }

    @Test
    void mistakesAreOneLineNamingTheKey() {
        assertEquals(".parity.yml: unknown key 'restore_profiles.small.exclude_rows' (known here: exclude, exclude_data, only)",
                assertThrows(ConfigError.class, () -> ParityConfig.parse("restore_profiles:\n  small: {exclude_rows: [events]}\n")).getMessage());
        assertEquals(".parity.yml: 'restore_profiles.small.only' must be table names (a list of strings)",
                assertThrows(ConfigError.class, () -> ParityConfig.parse("restore_profiles:\n  small: {only: [1]}\n")).getMessage());
        assertEquals(".parity.yml: 'restore_profiles.small' must be a mapping with only, exclude or exclude_data",
                assertThrows(ConfigError.class, () -> ParityConfig.parse("restore_profiles:\n  small: [events]\n")).getMessage());
        assertEquals(".parity.yml: 'restore_profiles' must be a mapping of profile names",
                assertThrows(ConfigError.class, () -> ParityConfig.parse("restore_profiles: small\n")).getMessage());
    }
}
