package fr.miweb.maven.frankenphp.plugin;

import fr.miweb.maven.frankenphp.config.ConfigurationProblem;
import org.codehaus.plexus.classworlds.realm.ClassRealm;
import org.codehaus.plexus.component.configurator.BasicComponentConfigurator;
import org.codehaus.plexus.component.configurator.ComponentConfigurationException;
import org.codehaus.plexus.component.configurator.ConfigurationListener;
import org.codehaus.plexus.component.configurator.expression.ExpressionEvaluator;
import org.codehaus.plexus.configuration.DefaultPlexusConfiguration;
import org.codehaus.plexus.configuration.PlexusConfiguration;

import java.util.ArrayList;
import java.util.List;

/**
 * Binds the mojos' configuration as Maven does, after taking out what Maven would stop at one element at a time
 * (an unknown or misplaced element inside {@code <image>}, {@code <compose>}...). Those become problems the mojo
 * reports with every other invalid value. Whatever Maven still refuses gets a pointer to the docs.
 * Registered in META-INF/plexus/components.xml under the hint {@value #HINT}.
 */
public class FrankenPhpConfigurator extends BasicComponentConfigurator {

    static final String HINT = "frankenphp";

    @Override
    public void configureComponent(Object component, PlexusConfiguration configuration, ExpressionEvaluator evaluator,
                                   ClassRealm realm, ConfigurationListener listener) throws ComponentConfigurationException {
        List<ConfigurationProblem> problems = new ArrayList<>();
        PlexusConfiguration bindable = new DefaultPlexusConfiguration(configuration.getName(), configuration.getValue(null));
        copyAttributes(configuration, bindable);
        for (PlexusConfiguration child : configuration.getChildren()) {
            if (ConfigurationStructure.isSection(child.getName())) {
                List<ConfigurationStructure.Element> keep = new ArrayList<>();
                problems.addAll(ConfigurationStructure.checkSection(child.getName(), element(child).children(), keep));
                bindable.addChild(keeping(child, keep));
            } else {
                bindable.addChild(child);
            }
        }
        try {
            super.configureComponent(component, bindable, evaluator, realm, listener);
        } catch (ComponentConfigurationException e) {
            throw new ComponentConfigurationException(e.getMessage() + ". The plugin's configuration is described in "
                    + "docs/configuration.md, and by mvn frankenphp:help -Ddetail.", e);
        }
        if (component instanceof AbstractFrankenPhpMojo mojo) {
            mojo.structureProblems = List.copyOf(problems);
        }
    }

    /** A copy of {@code original} with only the children in {@code keep}, recursively. */
    private static PlexusConfiguration keeping(PlexusConfiguration original, List<ConfigurationStructure.Element> keep) {
        PlexusConfiguration copy = new DefaultPlexusConfiguration(original.getName(), original.getValue(null));
        copyAttributes(original, copy);
        for (PlexusConfiguration child : original.getChildren()) {
            keep.stream().filter(k -> k.name().equals(child.getName())).findFirst().ifPresent(kept ->
                    copy.addChild(kept.children().isEmpty() && child.getChildCount() == 0 ? child : keeping(child, kept.children())));
        }
        return copy;
    }

    private static void copyAttributes(PlexusConfiguration from, PlexusConfiguration to) {
        for (String name : from.getAttributeNames()) {
            to.setAttribute(name, from.getAttribute(name, null));
        }
    }

    static ConfigurationStructure.Element element(PlexusConfiguration configuration) {
        List<ConfigurationStructure.Element> children = new ArrayList<>();
        for (PlexusConfiguration child : configuration.getChildren()) {
            children.add(element(child));
        }
        return new ConfigurationStructure.Element(configuration.getName(), configuration.getValue(null), children);
    }
}
