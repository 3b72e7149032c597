package fr.miweb.maven.frankenphp.context;

import java.util.List;

/**
 * What one {@link BuildContext} run walked and sent, for the build log.
 *
 * @param filesSent regular files and symbolic links written, overlays included
 * @param directoriesSent directory entries written
 * @param bytesSent bytes of file content written (tar headers and padding not counted)
 * @param entriesWalked entries of the base directory examined; a pruned directory counts once, its content not
 * @param filesExcluded files and symbolic links left out by the {@code .dockerignore} rules
 * @param directoriesPruned excluded directories that were not descended into
 * @param guardedPaths context-relative paths of dotenv files that the ignore rules let through but the secret
 *                     guard ({@link SecretFiles#isDotenv(String)}) kept out
 * @param skippedSpecialFiles context-relative paths of sockets, FIFOs and device files, which are not archived
 * @param secretsSent files sent although they usually hold secrets ({@link SecretFiles#secretKind(String)}),
 *                    each as its context-relative path followed by the kind in parentheses
 */
public record BuildContextStats(
        long filesSent,
        long directoriesSent,
        long bytesSent,
        long entriesWalked,
        long filesExcluded,
        long directoriesPruned,
        List<String> guardedPaths,
        List<String> skippedSpecialFiles,
        List<String> secretsSent) {

    /** Copies the lists so that the record stays immutable. */
    public BuildContextStats {
        guardedPaths = List.copyOf(guardedPaths);
        skippedSpecialFiles = List.copyOf(skippedSpecialFiles);
        secretsSent = List.copyOf(secretsSent);
    }
}
