package dev.parity.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reading {@code pg_restore --list} and comparing it with the catalog, on hand-written lines.
 * {@link RestoreVerificationRoundTripTest} does the same with real dumps of a real server.
 */
class RestoreVerificationTest {

    static Map<String, Integer> expected(String toc) {
        Map<String, Integer> shown = new LinkedHashMap<>();
        RestoreVerification.expected(toc).forEach((item, n) -> shown.put(item.kind() + " " + item.shown(), n));
        return shown;
    }

    @Test
    void dataAndAttachEntriesAreNeverCountedAsTheirObjects() {
        String toc = """
                3608; 0 16620 TABLE DATA public users postgres
                3628; 0 0 SEQUENCE SET public users_id_seq postgres
                3627; 0 0 SEQUENCE OWNED BY public users_id_seq postgres
                3612; 0 16651 MATERIALIZED VIEW DATA public post_counts postgres
                3429; 0 0 TABLE ATTACH public measurements_2024 postgres
                3456; 0 0 INDEX ATTACH public measurements_2024_pkey postgres
                3432; 2606 16699 CHECK CONSTRAINT public users email_has_at postgres
                3431; 2604 16623 DEFAULT public users id postgres
                3626; 0 0 COMMENT public TABLE users postgres
                3700; 0 0 ACL public TABLE users postgres
                3462; 2620 16701 TRIGGER public users t postgres
                3701; 0 0 DEFAULT ACL - DEFAULT PRIVILEGES FOR TABLES postgres
                8; 2615 16618 SCHEMA - app postgres
                2; 3079 16385 EXTENSION - citext\s
                """;
        assertEquals(Map.of(), expected(toc));
    }

    @Test
    void eachCountedKindIsRead() {
        String toc = """
                218; 1259 16620 TABLE public users postgres
                3438; 1259 16645 INDEX public index_users_on_email postgres
                3437; 2606 16628 CONSTRAINT public users users_pkey postgres
                3460; 2606 16639 FK CONSTRAINT public posts posts_user_id_fkey postgres
                217; 1259 16619 SEQUENCE public users_id_seq postgres
                222; 1259 16647 VIEW public active_users postgres
                223; 1259 16651 MATERIALIZED VIEW public post_counts postgres
                346; 1255 16656 FUNCTION public add(integer, integer) postgres
                348; 1255 16658 PROCEDURE public archive_posts(integer) postgres
                """;
        assertEquals(Map.of(
                "TABLE public.users", 1,
                "INDEX public.index_users_on_email", 1,
                "CONSTRAINT public.users users_pkey", 1,
                "FK CONSTRAINT public.posts posts_user_id_fkey", 1,
                "SEQUENCE public.users_id_seq", 1,
                "VIEW public.active_users", 1,
                "MATERIALIZED VIEW public.post_counts", 1,
                "FUNCTION public.add", 1,
                "PROCEDURE public.archive_posts", 1), expected(toc));
    }

    @Test
    void ownerIsTheLastWordAndMayBeMissing() {
        String toc = """
                218; 1259 16620 TABLE public my table u9ab3cd
                219; 1259 16621 TABLE public owned by nobody\s
                220; 1259 16622 TABLE heroku_ext pg_stat_statements_info\s
                221; 1255 16623 FUNCTION heroku_ext gen_random_uuid()\s
                222; 1259 16624 TABLE public it's "quoted" postgres
                """;
        assertEquals(Map.of(
                "TABLE public.my table", 1,
                "TABLE public.owned by nobody", 1,
                "TABLE heroku_ext.pg_stat_statements_info", 1,
                "FUNCTION heroku_ext.gen_random_uuid", 1,
                "TABLE public.it's \"quoted\"", 1), expected(toc));
    }

    @Test
    void commentLinesAndCommentedOutEntriesAreSkipped() {
        String toc = """
                ;
                ; Archive created at 2026-11-25 17:21:11 UTC
                ;     dbname: app
                ;     TOC Entries: 64
                ;     Dumped from database version: 15.18 (Debian 15.18-0+deb12u1)
                ;
                ; Selected TOC Entries:
                ;
                ;218; 1259 16620 TABLE public skipped_by_the_user postgres
                ; 219; 1259 16621 TABLE public also_skipped postgres
                220; 1259 16622 TABLE public kept postgres

                not an entry at all
                """;
        assertEquals(Map.of("TABLE public.kept", 1), expected(toc));
    }

    @Test
    void overloadedFunctionsCountOncePerSignature() {
        String toc = """
                346; 1255 16656 FUNCTION public add(integer, integer) postgres
                347; 1255 16657 FUNCTION public add(text, text) postgres
                349; 1255 16700 FUNCTION public noargs() postgres
                """;
        assertEquals(Map.of("FUNCTION public.add", 2, "FUNCTION public.noargs", 1), expected(toc));
        RestoreVerification.Outcome one = RestoreVerification.compare(toc, "FUNCTION\tpublic\tadd\nFUNCTION\tpublic\tnoargs\n");
        assertEquals(List.of("1 of 3 functions: public.add"), one.missing());
        assertTrue(RestoreVerification.compare(toc, "FUNCTION\tpublic\tadd\nFUNCTION\tpublic\tadd\nFUNCTION\tpublic\tnoargs").ok());
    }

    @Test
    void sameNameInAnotherSchemaOrOfAnotherKindDoesNotCount() {
        String toc = "218; 1259 16620 TABLE public users postgres\n222; 1259 16647 VIEW public active postgres\n";
        assertEquals(List.of("1 of 1 table: public.users", "1 of 1 view: public.active"),
                RestoreVerification.compare(toc, "TABLE\tarchive\tusers\nTABLE\tpublic\tactive\n").missing());
    }

    @Test
    void extraObjectsInTheDatabaseAreFine() {
        String toc = "218; 1259 16620 TABLE public users postgres\n";
        RestoreVerification.Outcome o = RestoreVerification.compare(toc,
                "TABLE\tpublic\tusers\nFUNCTION\tpublic\tcitext_eq\nINDEX\tpublic\tusers_pkey\nTABLE\tpublic\tnot_in_the_dump\n");
        assertTrue(o.ok(), o.toString());
        assertEquals("1 table", o.counts());
    }

    @Test
    void missingObjectsAreListedByKindInReportOrder() {
        String toc = """
                346; 1255 16656 FUNCTION public add(integer, integer) postgres
                3460; 2606 16639 FK CONSTRAINT public posts posts_user_id_fkey postgres
                3441; 1259 16644 INDEX public posts_user_id postgres
                3442; 1259 16645 INDEX public posts_title postgres
                220; 1259 16632 TABLE public posts postgres
                """;
        RestoreVerification.Outcome o = RestoreVerification.compare(toc, "TABLE\tpublic\tposts\nINDEX\tpublic\tposts_title\n");
        assertFalse(o.ok());
        assertEquals(List.of("1 of 2 indexes: public.posts_user_id", "1 of 1 foreign key: public.posts posts_user_id_fkey",
                "1 of 1 function: public.add"), o.missing());
        assertEquals("1 table, 2 indexes, 1 foreign key, 1 function", o.counts());
    }

    @Test
    void longListsOfMissingObjectsAreCut() {
        StringBuilder toc = new StringBuilder();
        for (int i = 0; i < 25; i++) toc.append(300 + i).append("; 1259 ").append(16000 + i).append(" INDEX public idx_").append(i).append(" postgres\n");
        RestoreVerification.Outcome o = RestoreVerification.compare(toc.toString(), "");
        assertEquals(1, o.missing().size());
        String line = o.missing().get(0);
        assertTrue(line.startsWith("25 of 25 indexes: public.idx_0, public.idx_1, "), line);
        assertTrue(line.endsWith("public.idx_9, … (15 more)"), line);
    }

    @Test
    void anEmptyDumpExpectsNothing() {
        RestoreVerification.Outcome o = RestoreVerification.compare(";\n; Selected TOC Entries:\n;\n", "");
        assertTrue(o.ok());
        assertEquals("no tables", o.counts());
    }

    @Test
    void kindNamesAreSingularForOne() {
        assertEquals("index", RestoreVerification.name("INDEX", 1));
        assertEquals("indexes", RestoreVerification.name("INDEX", 2));
        assertEquals("materialized views", RestoreVerification.name("MATERIALIZED VIEW", 0));
        assertEquals("foreign key", RestoreVerification.name("FK CONSTRAINT", 1));
    }

    // ---- generated tables of contents ----------------------------------------------------------

    record Obj(String kind, String schema, String name, String tocTag) {
        String tocLine(int id, String owner) {
            return id + "; 1259 " + (16000 + id) + " " + kind + " " + schema + " " + tocTag + " " + owner;
        }

        String catalogLine() {
            return kind + "\t" + schema + "\t" + name;
        }
    }

    static Stream<Long> seeds() {
        return IntStream.range(0, 40).mapToObj(i -> 1000L + i);
    }

    /** A random database's objects, with names people give: spaces, quotes, dots, digits, unicode. */
    static List<Obj> objects(Random random) {
        String[] kinds = {"TABLE", "INDEX", "CONSTRAINT", "FK CONSTRAINT", "SEQUENCE", "VIEW", "MATERIALIZED VIEW", "FUNCTION", "PROCEDURE"};
        String[] schemas = {"public", "heroku_ext", "app", "Audit", "x_1"};
        List<Obj> objs = new ArrayList<>();
        int n = 1 + random.nextInt(60);
        for (int i = 0; i < n; i++) {
            String kind = kinds[random.nextInt(kinds.length)];
            String schema = schemas[random.nextInt(schemas.length)];
            String name = name(random);
            switch (kind) {
                case "CONSTRAINT", "FK CONSTRAINT" -> {
                    String table = name(random);
                    objs.add(new Obj(kind, schema, table + " " + name, table + " " + name));
                }
                case "FUNCTION", "PROCEDURE" -> {
                    String args = random.nextBoolean() ? "" : random.nextBoolean() ? "integer" : "text, timestamp with time zone";
                    objs.add(new Obj(kind, schema, name, name + "(" + args + ")"));
                    if (random.nextInt(4) == 0) objs.add(new Obj(kind, schema, name, name + "(bigint)")); // an overload
                }
                default -> objs.add(new Obj(kind, schema, name, name));
            }
        }
        return objs;
    }

    static String name(Random random) {
        String[] parts = {"users", "posts", "Order", "line items", "it's", "\"quoted\"", "v2", "ü", "a.b", "x", "_tmp", "日本"};
        StringBuilder sb = new StringBuilder(parts[random.nextInt(parts.length)]);
        for (int i = random.nextInt(3); i > 0; i--) sb.append(random.nextBoolean() ? "_" : " ").append(parts[random.nextInt(parts.length)]);
        return sb.toString();
    }

    static String toc(List<Obj> objs, Random random) {
        StringBuilder toc = new StringBuilder(";\n; Archive created at 2026-01-01 00:00:00 UTC\n;\n; Selected TOC Entries:\n;\n");
        int id = 200;
        for (Obj o : objs) {
            toc.append(o.tocLine(id++, random.nextInt(5) == 0 ? "" : "u" + Long.toHexString(random.nextLong()))).append('\n');
            if (o.kind().equals("TABLE")) toc.append(id++).append("; 0 ").append(id).append(" TABLE DATA ").append(o.schema()).append(' ')
                    .append(o.name()).append(" postgres\n");
            if (o.kind().equals("SEQUENCE")) toc.append(id++).append("; 0 0 SEQUENCE SET ").append(o.schema()).append(' ')
                    .append(o.name()).append(" postgres\n");
        }
        return toc.toString();
    }

    static String catalog(List<Obj> objs, Random random) {
        List<String> lines = new ArrayList<>(objs.stream().map(Obj::catalogLine).toList());
        lines.add("FUNCTION\tpublic\tcitext_eq"); // an extension's own: not in the dump, fine
        Collections.shuffle(lines, random);
        return String.join("\n", lines) + "\n";
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aCompleteRestoreMatchesItsDumpAndEachLostObjectIsNamed(long seed) {
        Random random = new Random(seed);
        List<Obj> objs = objects(random);
        String toc = toc(objs, random);
        RestoreVerification.Outcome whole = RestoreVerification.compare(toc, catalog(objs, random));
        assertTrue(whole.ok(), seed + ": " + whole + "\n" + toc);
        int total = whole.expected().values().stream().mapToInt(Integer::intValue).sum();
        assertEquals(objs.size(), total, "every object counted once: " + whole.expected());

        List<Obj> restored = new ArrayList<>(objs);
        Obj lost = restored.remove(random.nextInt(restored.size()));
        RestoreVerification.Outcome partial = RestoreVerification.compare(toc, catalog(restored, random));
        assertFalse(partial.ok(), seed + ": losing " + lost + " went unnoticed");
        assertEquals(1, partial.missing().size(), partial.toString());
        String line = partial.missing().get(0);
        assertTrue(line.startsWith("1 of " + whole.expected().get(lost.kind()) + " "), line);
        assertTrue(line.endsWith(": " + lost.schema() + "." + lost.name()), lost + " → " + line);
    }
}
