package dev.parity.scrub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parity.config.ConfigError;
import dev.parity.config.ParityConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scrub: section of .parity.yml: every rule kind, and a one-line error naming the key for each bad rule. */
class ScrubRulesTest {

    @Test
    void everyRuleKindIsRead() {
        ScrubRules rules = ParityConfig.parse("""
                scrub:
                  users:
                    email: email
                    first_name: name
                    phone: {constant: "555-0100"}
                    api_token: nullify
                    referrer_email: hash
                    signup_ip: {sql: "'0.0.0.0'::inet"}
                    created_at: keep
                  audit_events: truncate
                  personal: ["*_iban"]
                """).scrub();
        assertTrue(rules.present());
        assertEquals(List.of("users: email: email, first_name: name, phone: {constant: \"555-0100\"}, api_token: nullify, referrer_email: hash,"
                + " signup_ip: {sql: \"'0.0.0.0'::inet\"}, created_at: keep", "audit_events: truncate"), rules.describeLines());
        assertEquals(List.of("*_iban"), rules.personal());
        assertTrue(new PersonalColumns(rules.personal()).looksPersonal("Payout_IBAN"));
    }

    @Test
    void noSectionMeansNoRules() {
        assertFalse(ParityConfig.parse("migrate: rake db:migrate\n").scrub().present());
    }

    @Test
    void badRulesAreOneLineNamingTheKey() {
        assertError("scrub:\n  users:\n    email: scramble\n", ".parity.yml: 'scrub.users.email': unknown rule 'scramble' (known: email, name, nullify, hash, keep, {constant: VALUE}, {sql: EXPRESSION})");
        assertError("scrub:\n  users: drop\n", ".parity.yml: 'scrub.users' must be truncate or a mapping of column to rule, got 'drop'");
        assertError("scrub:\n  users:\n    phone: {constant: [1]}\n", ".parity.yml: 'scrub.users.phone': constant needs a value, got a list");
        assertError("scrub:\n  users:\n    ip: {sql: \"1; DROP TABLE users\"}\n", ".parity.yml: 'scrub.users.ip': a sql rule is one expression, without ';'");
        assertError("scrub:\n  users:\n    ip: {shuffle: true}\n", ".parity.yml: 'scrub.users.ip': a rule is email, name, nullify, hash, keep, {constant: VALUE} or {sql: EXPRESSION}, got a mapping");
        assertError("scrub:\n  personal: email\n", ".parity.yml: 'scrub.personal' must be a list of column-name patterns (* matches anything), got 'email'");
        assertError("scrub: [users]\n", ".parity.yml: 'scrub' must be a mapping of table to rules, got a list");
    }

    @Test
    void builtInPatternsCoverTheUsualNames() {
        PersonalColumns p = new PersonalColumns(List.of());
        for (String c : List.of("email", "work_email", "phone", "last_name", "address", "ssn", "birthdate", "date_of_birth", "signup_ip", "api_token", "password_digest")) {
            assertTrue(p.looksPersonal(c), c);
        }
        for (String c : List.of("id", "created_at", "name", "amount", "session_id")) assertFalse(p.looksPersonal(c), c);
    }

    @Test
    void rulesCanLiveInASharedFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path repo) throws Exception {
        java.nio.file.Files.writeString(repo.resolve(".parity.yml"), "scrub: {file: config/scrub.yml}\n");
        java.nio.file.Files.createDirectories(repo.resolve("config"));
        java.nio.file.Files.writeString(repo.resolve("config/scrub.yml"), "users:\n  email: email\naudit_events: truncate\n");
        assertEquals(List.of("users: email: email", "audit_events: truncate"), ParityConfig.load(repo).scrub().describeLines());

        java.nio.file.Files.writeString(repo.resolve("config/scrub.yml"), "users:\n  email: scramble\n");
        ConfigError bad = assertThrows(ConfigError.class, () -> ParityConfig.load(repo));
        assertEquals("config/scrub.yml: 'users.email': unknown rule 'scramble' (known: email, name, nullify, hash, keep, {constant: VALUE}, {sql: EXPRESSION})",
                bad.getMessage());

        java.nio.file.Files.delete(repo.resolve("config/scrub.yml"));
        assertEquals(".parity.yml: 'scrub.file': cannot read config/scrub.yml: no such file",
                assertThrows(ConfigError.class, () -> ParityConfig.load(repo)).getMessage());
        assertError("scrub:\n  file: a.yml\n  users: truncate\n",
                ".parity.yml: 'scrub.file' names a rules file and stands alone (scrub: {file: PATH}), got 'a.yml' beside other keys");
    }

    private static void assertError(String yaml, String message) {
        ConfigError e = assertThrows(ConfigError.class, () -> ParityConfig.parse(yaml));
        assertEquals(message, e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }
}
