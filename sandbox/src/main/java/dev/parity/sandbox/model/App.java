package dev.parity.sandbox.model;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A sandbox app: releases, config vars, formation and dynos, its git repository and the checkout
 * of its deployed code. Mutations happen under {@code synchronized (app)}.
 */
public final class App {
    public final String id = UUID.randomUUID().toString();
    public final String name;
    public final Instant createdAt;
    public final Path gitDir;
    public final Path codeDir;
    public final List<Release> releases = new ArrayList<>();
    public final Map<String, String> configVars = new LinkedHashMap<>();
    public final Map<String, Formation> formation = new LinkedHashMap<>();
    public final List<Dyno> dynos = new ArrayList<>();
    /** The Postgres add-on's id and name when the app has one. */
    public volatile String addonId;
    public volatile String addonName;
    public volatile String databaseName;

    public App(String name, Path gitDir, Path codeDir, Instant now) {
        this.name = name;
        this.gitDir = gitDir;
        this.codeDir = codeDir;
        this.createdAt = now;
    }

    /** The live release: the newest that succeeded. */
    public synchronized Optional<Release> currentRelease() {
        for (int i = releases.size() - 1; i >= 0; i--) {
            if ("succeeded".equals(releases.get(i).status)) return Optional.of(releases.get(i));
        }
        return Optional.empty();
    }

    public synchronized int currentVersion() {
        return currentRelease().map(r -> r.version).orElse(0);
    }

    public synchronized Release addRelease(String description, String status, String commit, Instant now) {
        Release r = new Release(releases.size() + 1, description, status, commit, now);
        releases.add(r);
        return r;
    }

    public synchronized Optional<Dyno> dyno(String idOrName) {
        return dynos.stream().filter(d -> d.name.equals(idOrName) || d.id.equals(idOrName)).findFirst();
    }

    public synchronized List<Dyno> dynosSnapshot() {
        return List.copyOf(dynos);
    }
}
