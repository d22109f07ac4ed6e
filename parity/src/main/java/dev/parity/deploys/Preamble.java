package dev.parity.deploys;

import dev.parity.git.Git;
import dev.parity.heroku.HerokuApiException;
import dev.parity.heroku.Platform;
import dev.parity.heroku.Release;
import dev.parity.schema.MigrationFolders;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the facts a deploy starts from: the live release from the Platform API, the rest from the local repository. */
public final class Preamble {
    private static final Pattern RELEASE_LINE = Pattern.compile("(?m)^release[ \\t]*:[ \\t]*(\\S.*?)\\s*$");

    private Preamble() {}

    /**
     * @param pushedRef what is pushed ({@code main}, {@code HEAD}), resolved to its commit here
     * @throws HerokuApiException the live release cannot be read (nothing is pushed then)
     */
    public static DeployFacts read(Git git, Platform platform, String app, String pushedRef) throws InterruptedException {
        String pushed = git.commitOf(pushedRef).orElseThrow(() -> new IllegalArgumentException("'" + pushedRef + "' names no commit"));
        Optional<Release> current = platform.currentRelease(app);
        Optional<String> currentCommit = Optional.empty();
        if (current.isPresent()) {
            Release r = current.get();
            if (r.slugId().isPresent()) {
                try {
                    currentCommit = platform.slug(app, r.slugId().get()).commit();
                } catch (HerokuApiException e) {
                    if (!e.notFound()) throw e; // a slug the API does not show: the description may still say
                }
            }
            if (currentCommit.isEmpty()) currentCommit = r.describedCommit();
        }
        Optional<List<String>> pending = currentCommit.isEmpty() ? Optional.empty()
                : git.changedFiles(currentCommit.get(), pushed).map(MigrationFolders::migrations);
        Optional<String> releaseCommand = git.fileAt(pushed, "Procfile").flatMap(Preamble::releaseCommand);
        return new DeployFacts(current, currentCommit, pushedRef, pushed, pending, releaseCommand);
    }

    /** The command of a Procfile's {@code release:} line. */
    static Optional<String> releaseCommand(String procfile) {
        Matcher m = RELEASE_LINE.matcher(procfile);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
