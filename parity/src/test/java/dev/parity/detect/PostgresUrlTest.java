package dev.parity.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PostgresUrlTest {

    /** url | host | port | user | password | database ("" = absent) */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', emptyValue = "", value = {
        "postgres://app:pw@db.example.com:6543/app_dev      | db.example.com | 6543 | app  | pw   | app_dev",
        "postgresql://localhost/app_dev                     | localhost      |      |      |      | app_dev",
        "POSTGRES://u@h/d                                   | h              |      | u    |      | d",
        "postgres:///app_dev                                |                |      |      |      | app_dev",
        "postgres://localhost:5432                          | localhost      | 5432 |      |      | ",
        "postgres://us%40er:p%2Fw%25+x@h/my%20db            | h              |      | us@er| p/w%+x| my db",
        "postgres://u:p@ss@h/d                              | h              |      | u    | p@ss | d",
        "postgres://u:pw@[::1]:5433/d                       | ::1            | 5433 | u    | pw   | d",
        "postgres://h1:5432,h2:5432/d                       | h1             | 5432 |      |      | d",
        "postgres:///d?host=/var/run/postgresql&port=5434   | /var/run/postgresql | 5434 |  |    | d",
        "postgres://h/d?sslmode=require#frag                | h              |      |      |      | d",
        "jdbc:postgresql://localhost:5432/app?user=u&password=pw | localhost | 5432 | u    | pw   | app",
        "JDBC:postgresql://h/app                            | h              |      |      |      | app",
        "jdbc:postgresql:app                                |                |      |      |      | app",
        "ecto://postgres:postgres@localhost/hello_dev       | localhost      |      | postgres | postgres | hello_dev",
        "postgres://h/d%ZZ                                  | h              |      |      |      | d%ZZ",
        "postgres://%20@h/%20                               | h              |      |      |      | ",
    })
    void parsesParts(String url, String host, String port, String user, String password, String database) {
        PostgresUrl u = PostgresUrl.parse(url).orElseThrow();
        assertEquals(opt(host), u.host(), "host");
        assertEquals(opt(port), u.port(), "port");
        assertEquals(opt(user), u.username(), "username");
        assertEquals(opt(password), u.password(), "password");
        assertEquals(opt(database), u.database(), "database");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql2://u:p@h/d", "jdbc:mysql://h:3306/d", "sqlite3:db/development.sqlite3", "db/development.sqlite3", "", "  "})
    void otherUrlsAreNotPostgres(String url) {
        assertTrue(PostgresUrl.parse(url).isEmpty());
    }

    @Test
    void nullIsNotAUrl() {
        assertTrue(PostgresUrl.parse(null).isEmpty());
    }

    @Test
    void passwordIsNotInToString() {
        PostgresUrl u = PostgresUrl.parse("postgres://u:hunter2@h/d").orElseThrow();
        assertFalse(u.toString().contains("hunter2"), u.toString());
        assertFalse(u.toLocalDatabase("x").orElseThrow().toString().contains("hunter2"));
    }

    @Test
    void toLocalDatabaseNeedsADatabaseName() {
        assertTrue(PostgresUrl.parse("postgres://h:5432").orElseThrow().toLocalDatabase("x").isEmpty());
        LocalDatabase db = PostgresUrl.parse("postgres://u:p@h:1/d").orElseThrow().toLocalDatabase("env DATABASE_URL").orElseThrow();
        assertEquals(new LocalDatabase("d", Optional.of("h"), Optional.of("1"), Optional.of("u"), Optional.of("p"), "env DATABASE_URL"), db);
    }

    private static Optional<String> opt(String s) {
        return s == null || s.isEmpty() ? Optional.empty() : Optional.of(s);
    }
}
