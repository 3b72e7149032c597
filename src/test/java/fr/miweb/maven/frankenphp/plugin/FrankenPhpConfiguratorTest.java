package fr.miweb.maven.frankenphp.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.miweb.maven.frankenphp.config.ConfigurationProblem;
import java.util.List;
import java.util.stream.Collectors;
import org.codehaus.plexus.classworlds.ClassWorld;
import org.codehaus.plexus.classworlds.realm.ClassRealm;
import org.codehaus.plexus.component.configurator.ComponentConfigurationException;
import org.codehaus.plexus.component.configurator.expression.DefaultExpressionEvaluator;
import org.codehaus.plexus.configuration.DefaultPlexusConfiguration;
import org.codehaus.plexus.configuration.PlexusConfiguration;
import org.junit.jupiter.api.Test;

/** The mojos' configurator, with Maven's real binding underneath (issue 11, items 1, 2 and 5). */
class FrankenPhpConfiguratorTest {

    private static void configure(Object mojo, PlexusConfiguration configuration) throws Exception {
        ClassRealm realm = new ClassWorld("test", FrankenPhpConfiguratorTest.class.getClassLoader()).getRealm("test");
        new FrankenPhpConfigurator().configureComponent(mojo, configuration, new DefaultExpressionEvaluator(), realm, null);
    }

    /** A child element (DefaultPlexusConfiguration.addChild(name, value) answers the parent, not the child). */
    private static PlexusConfiguration child(PlexusConfiguration parent, String name, String value) {
        PlexusConfiguration child = new DefaultPlexusConfiguration(name, value);
        parent.addChild(child);
        return child;
    }

    @Test
    void elementsMavenWouldStopAtBecomeProblemsAndTheRestIsBound() throws Exception {
        PlexusConfiguration configuration = new DefaultPlexusConfiguration("configuration");
        PlexusConfiguration image = child(configuration, "image", null);
        child(image, "registy", "localhost:5000");
        child(image, "registry", "");
        child(image, "pull", "yes");
        child(image, "uid", "one thousand");
        child(child(configuration, "compose", null), "port", "8080");
        child(child(configuration, "octane", null), "port", "eighty");
        GenerateMojo mojo = new GenerateMojo();

        configure(mojo, configuration);

        List<String> problems = mojo.structureProblems.stream().map(ConfigurationProblem::describe).collect(Collectors.toList());
        assertEquals(3, problems.size(), () -> String.join("\n", problems));
        assertTrue(problems.get(0).startsWith("<image><registy> = 'localhost:5000': <image> has no such element (did you mean <registry>?)"));
        assertTrue(problems.get(1).startsWith("<image><registry> = '': the element is empty"));
        assertTrue(problems.get(2).startsWith("<compose><port> = '8080': this element belongs in <octane>"));
        // Bound as text: the mapper parses and reports them with everything else.
        assertEquals("yes", mojo.image.pull);
        assertEquals("one thousand", mojo.image.uid);
        assertEquals("eighty", mojo.octane.port);
    }

    /** The group inside a section, {@code <image><startup>}, is checked like the section (issue 11, item 2's siblings). */
    @Test
    void elementsOfTheStartupGroupAreCheckedToo() throws Exception {
        PlexusConfiguration configuration = new DefaultPlexusConfiguration("configuration");
        PlexusConfiguration image = child(configuration, "image", null);
        child(image, "registry", "localhost:5000");
        PlexusConfiguration startup = child(image, "startup", null);
        child(startup, "routeCach", "false");
        child(startup, "viewCache", "");
        child(startup, "configCache", "false");
        child(child(image, "buildArgs", null), "COMPOSER_NO_DEV", "1");
        GenerateMojo mojo = new GenerateMojo();

        configure(mojo, configuration);

        List<String> problems = mojo.structureProblems.stream().map(ConfigurationProblem::describe).collect(Collectors.toList());
        assertEquals(2, problems.size(), () -> String.join("\n", problems));
        assertTrue(problems.get(0).startsWith("<image><startup><routeCach> = 'false': <image><startup> has no such element "
                + "(did you mean <routeCache>?); it takes configCache, routeCache, eventCache, viewCache, storageLink"), problems.get(0));
        // Bound as unset, the step would silently stay on.
        assertTrue(problems.get(1).startsWith("<image><startup><viewCache> = '': the element is empty"), problems.get(1));
        assertEquals("false", mojo.image.startup.configCache);
        assertEquals("localhost:5000", mojo.image.registry);
        assertEquals(java.util.Map.of("COMPOSER_NO_DEV", "1"), mojo.image.buildArgs);
    }

    @Test
    void whatMavenStillRefusesPointsToTheDocs() {
        PlexusConfiguration configuration = new DefaultPlexusConfiguration("configuration");
        child(child(child(configuration, "octane", null), "port", null), "value", "80");
        ComponentConfigurationException e = assertThrows(ComponentConfigurationException.class,
                () -> configure(new GenerateMojo(), configuration));
        assertTrue(e.getMessage().contains("docs/configuration.md"), e.getMessage());
    }
}
