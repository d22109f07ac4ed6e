package dev.parity.scrub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Columns read from CREATE TABLE text as pg_dump writes it: quoted and odd names, constraints, inheritance, partitions. */
class TableDefinitionTest {
    static List<String> names(TableDefinition d) {
        return d.columns().stream().map(TableDefinition.Column::name).toList();
    }

    @Test
    void plainColumnsWithTheirTypesAndNotNull() {
        TableDefinition d = TableDefinition.parse("""
                CREATE TABLE public.users (
                    id bigint NOT NULL,
                    email character varying(255) DEFAULT ''::character varying NOT NULL,
                    signup_ip inet,
                    born date
                );
                """);
        assertEquals(List.of(new TableDefinition.Column("id", "bigint", true),
                new TableDefinition.Column("email", "character varying(255)", true),
                new TableDefinition.Column("signup_ip", "inet", false),
                new TableDefinition.Column("born", "date", false)), d.columns());
        assertTrue(d.columns().get(1).textLike());
        assertFalse(d.columns().get(2).textLike());
        assertFalse(d.partition());
        assertEquals(List.of(), d.inherits());
    }

    @Test
    void quotedAndOddNamesAreUnquotedAndKeptExactly() {
        TableDefinition d = TableDefinition.parse("""
                CREATE TABLE "we(ird"."Odd, Table" (
                    "First Name" text,
                    "user" text NOT NULL,
                    "a""b, (c)" text,
                    "Email" public.citext,
                    note text DEFAULT 'a, b (NOT NULL)'::text,
                    CONSTRAINT "check, this" CHECK ((length("First Name") > 0))
                );
                """);
        assertEquals(List.of("First Name", "user", "a\"b, (c)", "Email", "note"), names(d));
        assertTrue(d.columns().get(1).notNull());
        assertFalse(d.columns().get(4).notNull(), "NOT NULL inside a literal is not the column's");
        assertTrue(d.columns().get(3).textLike(), "citext holds text");
    }

    @Test
    void anInheritingTableNamesItsParents() {
        TableDefinition d = TableDefinition.parse("CREATE TABLE public.contractors (\n    agency_name text\n)\nINHERITS (public.staff, \"Other\".\"People\");\n");
        assertEquals(List.of("agency_name"), names(d));
        assertEquals(List.of("public.staff", "Other.People"), d.inherits());
    }

    @Test
    void aPartitionedTableHasItsColumnsAndAPartitionIsMarked() {
        TableDefinition parent = TableDefinition.parse("CREATE TABLE public.events (\n    id integer NOT NULL,\n    actor_email text\n)\nPARTITION BY RANGE (at);\n");
        assertEquals(List.of("id", "actor_email"), names(parent));
        assertFalse(parent.partition());
        assertTrue(TableDefinition.parse("CREATE TABLE public.events_2026 PARTITION OF public.events\nFOR VALUES FROM ('2026-01-01') TO ('2027-01-01');\n").partition());
        assertTrue(TableDefinition.parse("CREATE TABLE public.events_2026 (\n    id integer NOT NULL\n);\n"
                + "ALTER TABLE ONLY public.events ATTACH PARTITION public.events_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');\n").partition());
    }

    @Test
    void unloggedEmptyAndTypedTables() {
        assertEquals(List.of("token"), names(TableDefinition.parse("CREATE UNLOGGED TABLE public.sessions (\n    token text\n);\n")));
        assertEquals(List.of(), names(TableDefinition.parse("CREATE TABLE public.nothing (\n);\n")));
        assertEquals(List.of(), names(TableDefinition.parse("CREATE TABLE public.typed OF public.person;\n")));
    }

    @Test
    void qualifiedNames() {
        assertEquals("public.staff", TableDefinition.qualified("staff"));
        assertEquals("s.t", TableDefinition.qualified("s.t"));
        assertEquals("My Schema.a.b", TableDefinition.qualified("\"My Schema\".\"a.b\""));
    }
}
