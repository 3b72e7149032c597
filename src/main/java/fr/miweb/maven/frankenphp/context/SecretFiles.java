package fr.miweb.maven.frankenphp.context;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which project files hold secrets, by name. Two classes, with two treatments:
 *
 * <ul>
 *   <li><b>Dotenv files</b> ({@link #isDotenv}): {@code .env}, {@code .env.*}, {@code .env-*}, {@code .env_*},
 *       {@code *.env} and anything inside a directory of such a name, in any letter case, at any depth; but not
 *       a {@code *.example} file. They exist only to hold the environment's secrets and have no use in an
 *       image, so the build context never carries them, whatever the {@code .dockerignore} says, with no
 *       opt-out.</li>
 *   <li><b>Files that usually hold secrets</b> ({@link #secretKind}): Composer's {@code auth.json}, {@code .npmrc},
 *       direnv's {@code .envrc}, keys and certificates ({@code *.pem}, {@code *.key} such as Passport's
 *       {@code storage/oauth-private.key}, {@code *.p12}, {@code *.pfx}), SSH private keys, {@code .netrc},
 *       {@code .git-credentials}, Homestead's {@code Homestead.yaml}/{@code .json}. The default
 *       {@code .dockerignore} excludes them; one that does not is obeyed, since some have legitimate uses in an
 *       image (a public CA bundle in a {@code .pem}), and each one sent is named in a warning.</li>
 * </ul>
 *
 * <p>Paths are context-relative and {@code /}-separated. Names are compared in lower case: the file systems of
 * macOS and Windows checkouts do not tell {@code .ENV} from {@code .env}, and neither should the guard.
 */
public final class SecretFiles {

    private static final String EXAMPLE_SUFFIX = ".example";
    private static final List<String> SSH_PRIVATE_KEYS = List.of("id_rsa", "id_dsa", "id_ecdsa", "id_ed25519");

    private SecretFiles() {
    }

    /** Whether the file at this context-relative path is a dotenv file, or lies in a dotenv directory. */
    public static boolean isDotenv(String relativePath) {
        String path = relativePath.toLowerCase(Locale.ROOT);
        String[] names = path.split("/");
        if (names[names.length - 1].endsWith(EXAMPLE_SUFFIX)) {
            return false;
        }
        for (String name : names) {
            if (isDotenvName(name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isDotenvName(String lowerCaseName) {
        return lowerCaseName.equals(".env") || lowerCaseName.startsWith(".env.") || lowerCaseName.startsWith(".env-")
                || lowerCaseName.startsWith(".env_") || lowerCaseName.endsWith(".env");
    }

    /**
     * What a file that usually holds a secret holds, for a warning ("Composer credentials"); empty for any other
     * file, dotenv files included (those are {@link #isDotenv}'s).
     */
    public static Optional<String> secretKind(String relativePath) {
        String path = relativePath.toLowerCase(Locale.ROOT);
        String name = path.substring(path.lastIndexOf('/') + 1);
        String kind;
        if (name.equals("auth.json")) {
            kind = "Composer credentials";
        } else if (name.equals(".npmrc")) {
            kind = "npm credentials";
        } else if (name.equals(".envrc")) {
            kind = "direnv environment";
        } else if (name.endsWith(".pem")) {
            kind = "key or certificate";
        } else if (name.endsWith(".key")) {
            kind = "private key";
        } else if (name.endsWith(".p12") || name.endsWith(".pfx")) {
            kind = "key store";
        } else if (SSH_PRIVATE_KEYS.contains(name)) {
            kind = "SSH private key";
        } else if (name.equals(".netrc") || name.equals(".git-credentials")) {
            kind = "credentials";
        } else if (name.startsWith("homestead.")) {
            kind = "Homestead configuration";
        } else {
            return Optional.empty();
        }
        return Optional.of(kind);
    }
}
