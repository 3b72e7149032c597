package fr.miweb.maven.frankenphp.registry;

import java.util.Optional;

/**
 * The part of Maven's {@code settings.xml} this package needs: {@code <server>} entries by id, with
 * their password already decrypted. The mojo implements it over {@code Settings#getServer(String)}
 * and the settings decrypter, so that this package stays free of Maven types.
 */
@FunctionalInterface
public interface SettingsServerLookup {

    /**
     * Returns the {@code <server>} with this id, or empty when settings.xml has none.
     *
     * @param serverId the {@code <id>} of the server entry
     */
    Optional<ServerCredentials> findServer(String serverId);

    /**
     * User name and decrypted password of a {@code <server>} entry; either may be null when the entry
     * omits it. {@link #toString()} never shows the password.
     *
     * @param username the {@code <username>}, or null
     * @param password the decrypted {@code <password>}, or null
     */
    record ServerCredentials(String username, String password) {

        @Override
        public String toString() {
            return "ServerCredentials[username=" + username + ", password=" + (password == null ? "null" : "****") + "]";
        }
    }
}
