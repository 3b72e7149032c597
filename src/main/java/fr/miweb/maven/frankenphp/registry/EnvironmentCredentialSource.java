package fr.miweb.maven.frankenphp.registry;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Credentials from the {@value #USERNAME_VARIABLE} and {@value #PASSWORD_VARIABLE} environment
 * variables, meant for CI jobs. They apply to whatever registry is being pushed to.
 *
 * <p>A variable set to an empty value counts as unset, because CI systems often export undefined
 * secrets as empty strings. Setting only one of the two is an error rather than "not found", since
 * silently pushing with other credentials would hide the mistake.
 */
public final class EnvironmentCredentialSource implements CredentialSource {

    /** Environment variable holding the registry user name. */
    public static final String USERNAME_VARIABLE = "FRANKENPHP_REGISTRY_USERNAME";
    /** Environment variable holding the registry password or access token. */
    public static final String PASSWORD_VARIABLE = "FRANKENPHP_REGISTRY_PASSWORD";

    private static final String DESCRIPTION =
            "environment variables " + USERNAME_VARIABLE + "/" + PASSWORD_VARIABLE;

    private final Map<String, String> environment;

    /** @param environment the process environment, normally {@code System.getenv()} */
    public EnvironmentCredentialSource(Map<String, String> environment) {
        this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
    }

    @Override
    public String describe(String registryHost) {
        return DESCRIPTION;
    }

    @Override
    public Optional<RegistryCredentials> find(String registryHost) {
        String username = valueOf(USERNAME_VARIABLE);
        String password = valueOf(PASSWORD_VARIABLE);
        if (username == null && password == null) {
            return Optional.empty();
        }
        if (username == null || password == null) {
            String set = username == null ? PASSWORD_VARIABLE : USERNAME_VARIABLE;
            String missing = username == null ? USERNAME_VARIABLE : PASSWORD_VARIABLE;
            throw new RegistryCredentialsException("environment variable " + set + " is set but " + missing
                    + " is not; set both to push with these credentials, or unset " + set);
        }
        return Optional.of(RegistryCredentials.password(username, password, DESCRIPTION));
    }

    private String valueOf(String variable) {
        String value = environment.get(variable);
        return value == null || value.isEmpty() ? null : value;
    }
}
