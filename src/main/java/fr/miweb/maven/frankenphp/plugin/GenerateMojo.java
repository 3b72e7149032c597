package fr.miweb.maven.frankenphp.plugin;

import fr.miweb.maven.frankenphp.config.Defaults;
import fr.miweb.maven.frankenphp.config.DeploymentConfig;
import fr.miweb.maven.frankenphp.render.Exporter;
import fr.miweb.maven.frankenphp.render.FileSetWriter;
import fr.miweb.maven.frankenphp.render.GitIgnoreCheck;
import fr.miweb.maven.frankenphp.render.RenderedFile;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Renders the production deployment files (Dockerfile, docker-compose.prod.yml, docker/php/php.ini,
 * .dockerignore, .env.production.example, DEPLOY.md) from the pom into the output directory, and
 * with {@code -Dfrankenphp.export=true} also into the project directory.
 */
@Mojo(name = "generate", configurator = FrankenPhpConfigurator.HINT, defaultPhase = LifecyclePhase.GENERATE_RESOURCES, threadSafe = true)
public class GenerateMojo extends AbstractFrankenPhpMojo {

    /**
     * Also write the files into the project directory (the layout of a hand-maintained
     * {@code backend-api/}), for teams that commit them. A file edited by hand since the last
     * export is not overwritten unless {@code force} is set.
     */
    @Parameter(property = "frankenphp.export", defaultValue = Defaults.EXPORT)
    String export;

    /** With {@code export}: overwrite files edited by hand. */
    @Parameter(property = "frankenphp.force", defaultValue = Defaults.FORCE)
    String force;

    @Override
    String goal() {
        return "generate";
    }

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        DeploymentConfig config = deploymentConfig();
        List<RenderedFile> files = render(config);
        Path output = outputDirectory.toPath();
        try {
            FileSetWriter.Result result = FileSetWriter.write(output, files);
            getLog().info("Rendered " + files.size() + " deployment files for " + config.image().repository()
                    + " into " + output + " (" + result.written().size() + " changed, " + result.unchanged().size() + " unchanged)");
            if (flag(export)) {
                exportInto(config.project().baseDirectory(), files);
            }
            if (!GitIgnoreCheck.ignoresProductionEnv(config.project().baseDirectory())) {
                getLog().warn(".env.production is not listed in .gitignore: add it, so production secrets "
                        + "are never committed (the plugin never writes that file, the operator does).");
            }
        } catch (IOException e) {
            throw new MojoExecutionException("Could not write the deployment files: " + e.getMessage(), e);
        }
    }

    private void exportInto(Path projectDirectory, List<RenderedFile> files) throws IOException, MojoFailureException {
        try {
            FileSetWriter.Result result = Exporter.export(projectDirectory, files, flag(force));
            getLog().info("Exported the deployment files into " + projectDirectory + ": "
                    + (result.written().isEmpty() ? "all up to date" : String.join(", ", result.written()) + " written"));
        } catch (Exporter.HandEditedFilesException e) {
            throw new MojoFailureException(e.getMessage() + " Move your changes into the pom (or a template in "
                    + templateDirectory + "), or overwrite them with -Dfrankenphp.export=true -Dfrankenphp.force=true.", e);
        }
    }
}
