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
    /** The slugs deploys built, by id. */
    public final Map<String, Slug> slugs = new LinkedHashMap<>();
    public final Map<String, Formation> formation = new LinkedHashMap<>();
    public final List<Dyno> dynos = new ArrayList<>();
    /** The Postgres add-on's id and name when the app has one. */
    public volatile String addonId;
    public volatile String addonName;
    public volatile String databaseName;
    /** Maintenance mode: the router would answer web requests with H80; no release involved. */
    public volatile boolean maintenance;
    public volatile Instant updatedAt;

    public App(String name, Path gitDir, Path codeDir, Instant now) {
        this.name = name;
        this.gitDir = gitDir;
        this.codeDir = codeDir;
        this.createdAt = now;
        this.updatedAt = now;
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

    /** The slug the live release runs, or null before the first deploy. */
    public synchronized Slug currentSlug() {
        return currentRelease().map(r -> r.slug).orElse(null);
    }

    /**
     * A release of the slug with {@code commit} (none for null) and the current config vars,
     * without a release phase: for fixtures and add-on changes.
     */
    public synchronized Release addRelease(String description, String status, String commit, Instant now) {
        Slug slug = commit == null ? null : slugs.values().stream().filter(x -> x.commit.equals(commit)).reduce((a, b) -> b).orElse(null);
        return addRelease(description, status, slug, configVars, false, now);
    }

    public synchronized Release addRelease(String description, String status, Slug slug, Map<String, String> config,
                                           boolean releasePhase, Instant now) {
        Release r = new Release(releases.size() + 1, description, status, slug, config, releasePhase, now);
        releases.add(r);
        return r;
    }

    /** By id or version ({@code 3} or {@code v3}). */
    public synchronized Optional<Release> release(String idOrVersion) {
        String version = idOrVersion.replaceFirst("^v", "");
        for (Release r : releases) {
            if (r.id.equals(idOrVersion) || String.valueOf(r.version).equals(version)) return Optional.of(r);
        }
        return Optional.empty();
    }

    public synchronized Slug addSlug(String commit, Map<String, String> processTypes, Instant now) {
        Slug s = new Slug(commit, processTypes, now);
        slugs.put(s.id, s);
        return s;
    }

    public synchronized Optional<Dyno> dyno(String idOrName) {
        return dynos.stream().filter(d -> d.name.equals(idOrName) || d.id.equals(idOrName)).findFirst();
    }

    public synchronized List<Dyno> dynosSnapshot() {
        return List.copyOf(dynos);
    }
}
