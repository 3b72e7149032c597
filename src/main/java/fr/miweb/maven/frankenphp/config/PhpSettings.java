package fr.miweb.maven.frankenphp.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PHP as configured in the image.
 *
 * @param extensions extensions installed with {@code install-php-extensions}, in order
 * @param ini        php.ini directives in the order they are written
 * @param iniTarget  where the rendered php.ini is copied in the image
 */
public record PhpSettings(List<String> extensions, Map<String, String> ini, String iniTarget) {
    public PhpSettings {
        extensions = List.copyOf(extensions);
        ini = Collections.unmodifiableMap(new LinkedHashMap<>(ini));
    }
}
