package dev.parity.sandbox.data;

import dev.parity.sandbox.http.ApiError;
import dev.parity.sandbox.model.App;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

/** Every app's backups and restores, numbered per app as the data API numbers them (1, 2, 3 …). */
public final class Transfers {
    private final Map<String, List<Transfer>> byApp = new HashMap<>();
    private final Clock clock;

    public Transfers(Clock clock) {
        this.clock = clock;
    }

    /** A new backup of {@code app}'s database into {@code dir}/b00N.dump; {@code toUrl} names it from its number. */
    public synchronized Transfer newBackup(App app, String fromUrl, Path dir, IntFunction<String> toUrl) {
        int num = nextNum(app);
        Transfer t = new Transfer(num, Transfer.Kind.BACKUP, app.id, fromUrl, toUrl.apply(num),
                dir.resolve(String.format("b%03d.dump", num)), clock);
        byApp.get(app.id).add(t);
        return t;
    }

    public synchronized Transfer newRestore(App app, String backupUrl, String databaseUrl) {
        Transfer t = new Transfer(nextNum(app), Transfer.Kind.RESTORE, app.id, backupUrl, databaseUrl, null, clock);
        byApp.get(app.id).add(t);
        return t;
    }

    private int nextNum(App app) {
        return byApp.computeIfAbsent(app.id, k -> new ArrayList<>()).size() + 1;
    }

    public synchronized List<Transfer> of(App app) {
        return List.copyOf(byApp.getOrDefault(app.id, List.of()));
    }

    /** By uuid or by number ({@code 7}); 404 otherwise. */
    public synchronized Transfer find(App app, String uuidOrNum) {
        for (Transfer t : byApp.getOrDefault(app.id, List.of())) {
            if (t.uuid.equals(uuidOrNum) || String.valueOf(t.num).equals(uuidOrNum)) return t;
        }
        throw ApiError.notFound("Couldn't find that transfer.", "transfer");
    }

    /** The stored backup a {@code to_url} points at, so restoring "b007" reads the file directly. */
    public synchronized Optional<Transfer> storedAt(String url) {
        return byApp.values().stream().flatMap(List::stream)
                .filter(t -> t.kind == Transfer.Kind.BACKUP && t.toUrl.equals(url)).findFirst();
    }
}
