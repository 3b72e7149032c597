package fr.miweb.maven.frankenphp.plugin;

import java.util.List;
import java.util.Map;

/** The {@code <php>} element of the plugin configuration. */
// Scalar values are Strings: Maven then cannot refuse one before the plugin has seen the others (ConfigurationMapper).
public class PhpConfiguration {
    /** Replaces the default extension list (pdo_mysql gd zip opcache intl pcntl). */
    List<String> extensions;
    /** Added after the extension list, e.g. redis. */
    List<String> extraExtensions;
    /** php.ini directives, merged over the defaults: {@code <memory_limit>1G</memory_limit>}. */
    Map<String, String> ini;
    /** Where php.ini goes in the image. Default {@code /usr/local/etc/php/conf.d/zzz-frankenphp.ini}. */
    String iniTarget;
}
