package fr.miweb.maven.frankenphp.plugin;

import fr.miweb.maven.frankenphp.render.Exporter;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Fails the build when the deployment files committed in the project differ from what the pom
 * renders, showing a diff and the command that brings them back in line.
 */
@Mojo(name = "check", configurator = FrankenPhpConfigurator.HINT, defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class CheckMojo extends AbstractFrankenPhpMojo {

    @Override
    String goal() {
        return "check";
    }

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        var config = deploymentConfig();
        List<Exporter.Drift> drifts;
        try {
            drifts = Exporter.drift(config.project().baseDirectory(), render(config));
        } catch (IOException e) {
            throw new MojoExecutionException("Could not read the committed deployment files: " + e.getMessage(), e);
        }
        if (drifts.isEmpty()) {
            getLog().info("The committed deployment files match the pom.");
            return;
        }
        String details = drifts.stream()
                .map(Exporter.Drift::describe)
                .collect(Collectors.joining("\n"));
        throw new MojoFailureException("The committed deployment files differ from what the pom renders: "
                + drifts.stream().map(Exporter.Drift::relativePath).collect(Collectors.joining(", ")) + "\n" + details
                + "\nRun: mvn frankenphp:generate -Dfrankenphp.export=true   (add -Dfrankenphp.force=true to overwrite hand edits, links and special files)");
    }
}
