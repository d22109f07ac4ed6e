package dev.parity.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;

/**
 * A directory for files derived from a database (downloaded dumps, local backups): a real
 * directory, owned by the user running parity, that nobody else can enter (0700). Its files are
 * created 0600. A directory someone else could write to or swap is refused, never used.
 */
public final class PrivateDirectory {
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");

    /** The directory cannot be trusted with a dump; the message says why and how to fix it. */
    public static final class Unsafe extends IOException {
        Unsafe(String message) {
            super(message);
        }
    }

    private PrivateDirectory() {}

    /**
     * Creates {@code dir} (0700, parents as the umask says) or checks the one that is there: not a
     * symbolic link, owned by this user, not writable by group or others. One that is only readable
     * by others (made by an older parity, or by hand) is tightened to 0700.
     */
    public static Path prepare(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            if (dir.getParent() != null) Files.createDirectories(dir.getParent());
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (UnsupportedOperationException notPosix) {
                Files.createDirectory(dir);
                return dir;
            }
            Files.setPosixFilePermissions(dir, OWNER_ONLY); // whatever the umask took away
            return dir;
        }
        check(dir);
        return dir;
    }

    /** Refuses {@code dir} unless it is a directory of this user's that only this user can write to. */
    static void check(Path dir) throws IOException {
        if (Files.isSymbolicLink(dir)) {
            throw new Unsafe(dir + " is a symbolic link (to " + Files.readSymbolicLink(dir) + "); parity keeps dumps only in a "
                    + "directory of its own: remove the link (rm " + dir + ") and parity creates the directory");
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new Unsafe(dir + " is not a directory; move it away and parity creates the directory");
        }
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException notPosix) {
            return;
        }
        UserPrincipal me = dir.getFileSystem().getUserPrincipalLookupService()
                .lookupPrincipalByName(System.getProperty("user.name"));
        if (!attributes.owner().equals(me)) {
            throw new Unsafe(dir + " belongs to " + attributes.owner().getName() + ", not to " + me.getName()
                    + "; parity keeps dumps only in a directory of your own: remove it, or set XDG_CACHE_HOME to a directory of yours");
        }
        Set<PosixFilePermission> mode = attributes.permissions();
        if (mode.contains(PosixFilePermission.GROUP_WRITE) || mode.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new Unsafe(dir + " is writable by " + (mode.contains(PosixFilePermission.OTHERS_WRITE) ? "everyone" : "its group")
                    + " (mode " + PosixFilePermissions.toString(mode) + "); make it private: chmod 700 " + dir);
        }
        if (!mode.equals(OWNER_ONLY)) Files.setPosixFilePermissions(dir, OWNER_ONLY);
    }

    /** A new, empty file in {@code dir} that only its owner can read (0600); an existing one is replaced. */
    public static Path newFile(Path file) throws IOException {
        Files.deleteIfExists(file);
        try {
            return Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE));
        } catch (UnsupportedOperationException notPosix) {
            return Files.createFile(file);
        }
    }
}
