package dev.parity.cli;

import dev.parity.config.ParityConfig;
import dev.parity.detect.Project;

/** The migrate and console commands: from {@code .parity.yml} when set, else from framework detection. */
final class Commands {
    record Chosen(String command, String source) {}

    private Commands() {}

    static Chosen migrate(Workspace ws) {
        if (ws.config().migrate().isPresent()) return new Chosen(ws.config().migrate().get(), ParityConfig.FILE + " migrate");
        Project p = ws.project();
        return p.migrate().map(c -> new Chosen(c, "detected " + p.framework() + ": " + p.evidence()))
                .orElseThrow(() -> new UsageError("cannot tell how to migrate this app: " + detectedText(p)
                        + ". Set it in " + ParityConfig.FILE + ", e.g.  migrate: bundle exec rails db:migrate"));
    }

    static Chosen console(Workspace ws) {
        if (ws.config().console().isPresent()) return new Chosen(ws.config().console().get(), ParityConfig.FILE + " console");
        Project p = ws.project();
        return p.console().map(c -> new Chosen(c, "detected " + p.framework() + ": " + p.evidence()))
                .orElseThrow(() -> new UsageError("cannot tell which console to open: " + detectedText(p)
                        + ". Set it in " + ParityConfig.FILE + ", e.g.  console: bundle exec rails console"));
    }

    private static String detectedText(Project p) {
        return "unknown".equals(p.framework())
                ? "no known framework found (Rails, Django, Laravel, Phoenix, Prisma, Knex, Spring Boot with Flyway or Liquibase)"
                : p.framework() + " was detected (" + p.evidence() + ") but has no such command";
    }
}
