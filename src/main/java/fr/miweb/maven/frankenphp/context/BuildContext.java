package fr.miweb.maven.frankenphp.context;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import fr.miweb.maven.frankenphp.files.ProjectFiles;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * A Docker build context: the files of a base directory that a {@link DockerIgnore} keeps, plus overlay files
 * rendered elsewhere, written as an uncompressed tar for the Docker Engine API.
 *
 * <ul>
 *   <li>Entries come depth-first with siblings sorted by name: the same tree always gives the same bytes, and
 *       every directory precedes its content.</li>
 *   <li>Permission bits and modification times (whole seconds) are kept; owner and group are 0 and unnamed.</li>
 *   <li>Names are sent as the file system's bytes, as {@code docker build} sends them, whatever the JVM's locale:
 *       a Latin-1 name under a UTF-8 locale and a UTF-8 name under {@code LANG=C} alike ({@link RawNames}).</li>
 *   <li>Symbolic links are archived as links and never followed, even when they point outside the context, as
 *       Docker does.</li>
 *   <li>Directories for which {@link DockerIgnore#canSkipDirectory(String)} holds are not descended into. An
 *       excluded directory is written only when an exception re-includes something below it.</li>
 *   <li>Overlays put files from elsewhere at given context-relative names, replacing any base file of that name
 *       and bypassing the ignore rules (the plugin renders its Dockerfile, .dockerignore and php.ini this way).</li>
 *   <li>Dotenv files are never sent, whatever the ignore rules say: see {@link SecretFiles#isDotenv(String)}. Other
 *       files that usually hold secrets ({@link SecretFiles#secretKind(String)}) follow the ignore rules, and
 *       those sent are listed in the stats for a warning.</li>
 * </ul>
 *
 * <p>Content is streamed through a fixed-size buffer, so memory use does not grow with the size of the context;
 * only the listing of the directories being walked is held. Sockets, FIFOs and devices are skipped, and hard
 * links are archived as independent files.
 */
public final class BuildContext {

    private static final int COPY_BUFFER_SIZE = 64 * 1024;
    /** Parents of overlays that do not exist in the base directory get a fixed time, to keep output reproducible. */
    private static final FileTime SYNTHETIC_DIRECTORY_TIME = FileTime.fromMillis(0);
    private static final int SYNTHETIC_DIRECTORY_MODE = 0755;

    private final Path baseDirectory;
    private final DockerIgnore dockerIgnore;
    private final Map<String, Path> overlayFiles = new TreeMap<>();
    private final Set<String> overlayDirectories = new HashSet<>();
    /** Names of the overlay files and overlay parent directories found in each context-relative directory. */
    private final Map<String, SortedSet<String>> overlayChildren = new HashMap<>();
    private final Duration openTimeout;

    /**
     * @param baseDirectory the directory whose content forms the context
     * @param dockerIgnore the rules deciding which base files are left out
     * @param overlays files to place in the context, keyed by clean context-relative name such as
     *                 {@code docker/php/php.ini}
     * @throws IllegalArgumentException when an overlay name is not a clean relative path, is a dotenv file, or is
     *                                  also the parent directory of another overlay
     */
    public BuildContext(Path baseDirectory, DockerIgnore dockerIgnore, Map<String, Path> overlays) {
        this(baseDirectory, dockerIgnore, overlays, ProjectFiles.OPEN_TIMEOUT);
    }

    /** With how long the open of one file may block (a file swapped for a FIFO) before the context fails. */
    BuildContext(Path baseDirectory, DockerIgnore dockerIgnore, Map<String, Path> overlays, Duration openTimeout) {
        this.openTimeout = Objects.requireNonNull(openTimeout, "openTimeout");
        this.baseDirectory = Objects.requireNonNull(baseDirectory, "baseDirectory");
        this.dockerIgnore = Objects.requireNonNull(dockerIgnore, "dockerIgnore");
        overlays.forEach(this::addOverlay);
        for (String name : overlayFiles.keySet()) {
            if (overlayDirectories.contains(name)) {
                throw new IllegalArgumentException("Overlay " + name + " is also the parent of another overlay");
            }
        }
    }

    /**
     * Writes the context as a tar to {@code out}, which is flushed but left open. The end-of-archive marker is
     * written only on success, so a failed run never looks like a complete archive.
     *
     * @throws IOException when the base directory or a file cannot be read (the message names the path), or
     *                     when {@code out} fails
     */
    public BuildContextStats writeTo(OutputStream out) throws IOException {
        if (!FileMetadata.read(baseDirectory).isDirectory()) {
            throw new IOException("Build context " + baseDirectory + " is not a directory");
        }
        // Names go into the tar as the file system's raw bytes, as docker build sends them: each byte is one
        // ISO-8859-1 character here (see RawNames), so the tar's encoding writes it back unchanged.
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.ISO_8859_1.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        Walk walk = new Walk(tar);
        walk.visitChildren("", "", baseDirectory, true);
        // finish() rather than close(): out belongs to the caller.
        tar.finish();
        out.flush();
        return walk.stats();
    }

    /**
     * Starts writing the context on a background thread and returns the tar as a stream, for docker-java's
     * {@code BuildImageCmd.withTarInputStream}. Close the stream when done with it.
     */
    public BuildContextStream openStream() {
        return BuildContextStream.start(this);
    }

    private void addOverlay(String name, Path file) {
        boolean clean = name.equals(DockerIgnore.cleanPath(name))
                && !name.equals(".") && !name.equals("..") && !name.startsWith("/") && !name.startsWith("../");
        if (!clean) {
            throw new IllegalArgumentException(
                    "Overlay name must be a clean context-relative path such as docker/php/php.ini: " + name);
        }
        if (SecretFiles.isDotenv(name)) {
            throw new IllegalArgumentException("Overlay " + name + " is a dotenv file, which is never sent");
        }
        overlayFiles.put(name, Objects.requireNonNull(file, name));
        String child = name;
        while (true) {
            int slash = child.lastIndexOf('/');
            String parent = slash < 0 ? "" : child.substring(0, slash);
            overlayChildren.computeIfAbsent(parent, key -> new TreeSet<>()).add(child.substring(slash + 1));
            if (parent.isEmpty()) {
                return;
            }
            overlayDirectories.add(parent);
            child = parent;
        }
    }

    private static IOException cannot(String action, Path path, IOException cause) {
        String reason;
        if (cause instanceof AccessDeniedException) {
            reason = "permission denied";
        } else if (cause instanceof NoSuchFileException) {
            reason = "no such file";
        } else {
            reason = cause.getMessage();
        }
        return new IOException("Cannot " + action + " " + path + ": " + reason, cause);
    }

    /** The state of one {@link #writeTo} run. */
    private final class Walk {

        private final TarArchiveOutputStream tar;
        private final byte[] copyBuffer = new byte[COPY_BUFFER_SIZE];
        /** Directories entered but not written yet: written only if something below them is. */
        private final Deque<TarArchiveEntry> pendingDirectories = new ArrayDeque<>();
        private final List<String> guardedPaths = new ArrayList<>();
        private final List<String> skippedSpecialFiles = new ArrayList<>();
        private final List<String> secretsSent = new ArrayList<>();
        private long filesSent;
        private long directoriesSent;
        private long bytesSent;
        private long entriesWalked;
        private long filesExcluded;
        private long directoriesPruned;

        Walk(TarArchiveOutputStream tar) {
            this.tar = tar;
        }

        BuildContextStats stats() {
            return new BuildContextStats(filesSent, directoriesSent, bytesSent, entriesWalked, filesExcluded,
                    directoriesPruned, guardedPaths, skippedSpecialFiles, secretsSent);
        }

        /**
         * @param relativeDirectory the directory as text, for the ignore rules and the overlays
         * @param rawDirectory      the same as raw bytes, for the tar
         */
        void visitChildren(String relativeDirectory, String rawDirectory, Path directory, boolean listBaseEntries)
                throws IOException {
            // Keyed by the raw name (one character per byte), so siblings come in byte order and two names that
            // only differ in bytes the JVM's locale cannot show stay apart.
            SortedMap<String, Path> children = new TreeMap<>();
            for (String name : overlayChildren.getOrDefault(relativeDirectory, Collections.emptySortedSet())) {
                children.put(RawNames.ofText(name), null);
            }
            if (listBaseEntries) {
                listEntries(directory).forEach((raw, entry) -> children.putIfAbsent(raw, entry));
            }
            for (Map.Entry<String, Path> child : children.entrySet()) {
                String rawName = child.getKey();
                String name = RawNames.toText(rawName);
                String relativePath = relativeDirectory.isEmpty() ? name : relativeDirectory + "/" + name;
                String rawPath = rawDirectory.isEmpty() ? rawName : rawDirectory + "/" + rawName;
                // The entry from the listing, not a path rebuilt from its name: that keeps the bytes.
                Path path = child.getValue() != null ? child.getValue() : directory.resolve(name);
                Path overlay = overlayFiles.get(relativePath);
                if (overlay != null) {
                    writeOverlay(relativePath, rawPath, overlay);
                } else if (overlayDirectories.contains(relativePath)) {
                    visitOverlayDirectory(relativePath, rawPath, path);
                } else {
                    visitBaseEntry(relativePath, rawPath, path);
                }
            }
        }

        private Map<String, Path> listEntries(Path directory) throws IOException {
            Map<String, Path> entries = new HashMap<>();
            try (DirectoryStream<Path> listing = Files.newDirectoryStream(directory)) {
                for (Path entry : listing) {
                    entries.put(RawNames.of(entry), entry);
                }
            } catch (IOException e) {
                throw cannot("list directory", directory, e);
            } catch (DirectoryIteratorException e) {
                throw cannot("list directory", directory, e.getCause());
            }
            return entries;
        }

        private void visitBaseEntry(String relativePath, String rawPath, Path path) throws IOException {
            FileMetadata metadata = FileMetadata.read(path, LinkOption.NOFOLLOW_LINKS);
            entriesWalked++;
            if (metadata.isDirectory()) {
                visitBaseDirectory(relativePath, rawPath, path, metadata);
            } else if (dockerIgnore.isExcluded(relativePath)) {
                filesExcluded++;
            } else if (SecretFiles.isDotenv(relativePath)) {
                guardedPaths.add(relativePath);
            } else if (metadata.type() == FileType.REGULAR_FILE) {
                writeFile(rawPath, path, metadata);
                SecretFiles.secretKind(relativePath).ifPresent(kind -> secretsSent.add(relativePath + " (" + kind + ")"));
            } else if (metadata.type() == FileType.SYMBOLIC_LINK) {
                writeSymbolicLink(rawPath, path, metadata);
            } else {
                skippedSpecialFiles.add(relativePath);
            }
        }

        private void visitBaseDirectory(String relativePath, String rawPath, Path path, FileMetadata metadata)
                throws IOException {
            if (dockerIgnore.canSkipDirectory(relativePath)) {
                directoriesPruned++;
                return;
            }
            TarArchiveEntry entry = newEntry(rawPath + "/", TarConstants.LF_DIR, metadata);
            // A dotenv directory (config/.env/) is not even shown empty: all it holds is guarded.
            enterDirectory(entry, dockerIgnore.isExcluded(relativePath) || SecretFiles.isDotenv(relativePath));
            visitChildren(relativePath, rawPath, path, true);
            leaveDirectory(entry);
        }

        /** A directory holding overlays: it is written whatever the ignore rules say, as an overlay lies below. */
        private void visitOverlayDirectory(String relativePath, String rawPath, Path path) throws IOException {
            FileMetadata metadata = null;
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                metadata = FileMetadata.read(path, LinkOption.NOFOLLOW_LINKS);
                entriesWalked++;
            }
            boolean baseIsDirectory = metadata != null && metadata.isDirectory();
            boolean listBaseEntries = baseIsDirectory && !dockerIgnore.canSkipDirectory(relativePath);
            if (baseIsDirectory && !listBaseEntries) {
                directoriesPruned++;
            }
            FileMetadata directoryMetadata = baseIsDirectory ? metadata : new FileMetadata(
                    FileType.DIRECTORY, 0, SYNTHETIC_DIRECTORY_MODE, SYNTHETIC_DIRECTORY_TIME);
            TarArchiveEntry entry = newEntry(rawPath + "/", TarConstants.LF_DIR, directoryMetadata);
            enterDirectory(entry, true);
            visitChildren(relativePath, rawPath, path, listBaseEntries);
            leaveDirectory(entry);
        }

        private void enterDirectory(TarArchiveEntry entry, boolean writeOnlyIfNotEmpty) throws IOException {
            if (writeOnlyIfNotEmpty) {
                pendingDirectories.addLast(entry);
            } else {
                writeEntry(entry);
                directoriesSent++;
            }
        }

        private void leaveDirectory(TarArchiveEntry entry) {
            if (pendingDirectories.peekLast() == entry) {
                pendingDirectories.removeLast(); // nothing below it was written
            }
        }

        private void writeOverlay(String relativePath, String rawPath, Path file) throws IOException {
            // Links not followed: the plugin renders regular files, so a link in the output directory was planted
            // (a committed target/ say) and could point at /proc/self/environ; its content must not be sent.
            FileMetadata metadata = FileMetadata.read(file, LinkOption.NOFOLLOW_LINKS);
            if (metadata.type() != FileType.REGULAR_FILE) {
                throw new IOException("Overlay " + file + " for " + relativePath + " is not a regular file"
                        + (metadata.type() == FileType.SYMBOLIC_LINK ? " (a symbolic link, not followed)" : ""));
            }
            writeFile(rawPath, file, metadata);
        }

        private void writeFile(String rawPath, Path file, FileMetadata metadata) throws IOException {
            // Opened before the header is written, so that an unreadable file fails before any byte of its entry.
            try (InputStream content = open(file)) {
                TarArchiveEntry entry = newEntry(rawPath, TarConstants.LF_NORMAL, metadata);
                entry.setSize(metadata.size());
                writePendingDirectories();
                putArchiveEntry(entry);
                copyContent(content, metadata.size(), file);
                tar.closeArchiveEntry();
            }
            filesSent++;
            bytesSent += metadata.size();
        }

        private void writeSymbolicLink(String rawPath, Path link, FileMetadata metadata) throws IOException {
            TarArchiveEntry entry = newEntry(rawPath, TarConstants.LF_SYMLINK, metadata);
            try {
                entry.setLinkName(RawNames.ofLinkTarget(Files.readSymbolicLink(link)));
            } catch (IOException e) {
                throw cannot("read symbolic link", link, e);
            }
            writeEntry(entry);
            filesSent++;
        }

        private void writeEntry(TarArchiveEntry entry) throws IOException {
            writePendingDirectories();
            putArchiveEntry(entry);
            tar.closeArchiveEntry();
        }

        /**
         * A name over 100 bytes needs an extended header. PAX records are UTF-8 text, which would re-encode a
         * raw byte as two; a non-ASCII long name therefore goes in a GNU long-name entry, which carries the
         * bytes as they are (Go's tar reader, and so the daemon, reads both).
         */
        private void putArchiveEntry(TarArchiveEntry entry) throws IOException {
            boolean ascii = RawNames.isAscii(entry.getName()) && RawNames.isAscii(entry.getLinkName());
            tar.setLongFileMode(ascii ? TarArchiveOutputStream.LONGFILE_POSIX : TarArchiveOutputStream.LONGFILE_GNU);
            tar.putArchiveEntry(entry);
        }

        /** Writes the excluded parents of an entry about to be written, outermost first. */
        private void writePendingDirectories() throws IOException {
            while (!pendingDirectories.isEmpty()) {
                putArchiveEntry(pendingDirectories.removeFirst());
                tar.closeArchiveEntry();
                directoriesSent++;
            }
        }

        private InputStream open(Path file) throws IOException {
            try {
                // Listed as a regular file, it may have been swapped since: for a link to a secret (not followed)
                // or for a FIFO (which would block the context until the build's deadline).
                return ProjectFiles.openRegularFile(file, openTimeout);
            } catch (IOException e) {
                throw cannot("read", file, e);
            }
        }

        /** Copies exactly the size announced in the header: a file that shrinks meanwhile would corrupt the tar. */
        private void copyContent(InputStream content, long size, Path file) throws IOException {
            long remaining = size;
            while (remaining > 0) {
                int read;
                try {
                    read = content.read(copyBuffer, 0, (int) Math.min(copyBuffer.length, remaining));
                } catch (IOException e) {
                    throw cannot("read", file, e);
                }
                if (read < 0) {
                    throw new IOException(
                            "File " + file + " shrank while it was archived (" + size + " bytes expected)");
                }
                tar.write(copyBuffer, 0, read);
                remaining -= read;
            }
        }

        private TarArchiveEntry newEntry(String name, byte type, FileMetadata metadata) {
            TarArchiveEntry entry = new TarArchiveEntry(name, type);
            entry.setMode(metadata.mode());
            // Whole seconds, as Docker sends: sub-second times would add a PAX header to every entry.
            entry.setModTime(FileTime.from(metadata.lastModified().to(TimeUnit.SECONDS), TimeUnit.SECONDS));
            entry.setIds(0, 0);
            entry.setUserName("");
            entry.setGroupName("");
            return entry;
        }
    }

    private enum FileType {
        DIRECTORY, REGULAR_FILE, SYMBOLIC_LINK, OTHER
    }

    /** What the tar header needs from a file, read in one system call. */
    private record FileMetadata(FileType type, long size, int mode, FileTime lastModified) {

        boolean isDirectory() {
            return type == FileType.DIRECTORY;
        }

        static FileMetadata read(Path path, LinkOption... options) throws IOException {
            try {
                PosixFileAttributeView posixView =
                        Files.getFileAttributeView(path, PosixFileAttributeView.class, options);
                if (posixView != null) {
                    PosixFileAttributes attributes = posixView.readAttributes();
                    return of(attributes, permissionBits(attributes.permissions()));
                }
                // No POSIX permissions (Windows): use the modes a Unix checkout would usually have.
                BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class, options);
                boolean executable = attributes.isDirectory() || Files.isExecutable(path);
                return of(attributes, executable ? 0755 : 0644);
            } catch (IOException e) {
                throw cannot("read attributes of", path, e);
            }
        }

        private static FileMetadata of(BasicFileAttributes attributes, int mode) {
            FileType type;
            if (attributes.isDirectory()) {
                type = FileType.DIRECTORY;
            } else if (attributes.isRegularFile()) {
                type = FileType.REGULAR_FILE;
            } else if (attributes.isSymbolicLink()) {
                type = FileType.SYMBOLIC_LINK;
            } else {
                type = FileType.OTHER;
            }
            return new FileMetadata(type, attributes.size(), mode, attributes.lastModifiedTime());
        }

        private static int permissionBits(Set<PosixFilePermission> permissions) {
            int mode = 0;
            for (PosixFilePermission permission : permissions) {
                // Declared from OWNER_READ (0400) down to OTHERS_EXECUTE (0001).
                mode |= 0400 >> permission.ordinal();
            }
            return mode;
        }
    }
}
