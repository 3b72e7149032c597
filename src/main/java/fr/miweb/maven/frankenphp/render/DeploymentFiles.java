package fr.miweb.maven.frankenphp.render;

import fr.miweb.maven.frankenphp.config.DeploymentConfig;
import fr.miweb.maven.frankenphp.config.ReleaseTarget;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Renders every deployment file for a configuration: the one entry point the goals use. */
public final class DeploymentFiles {

    private DeploymentFiles() {
    }

    /**
     * @param overrideDirectory the user's template directory (may be absent)
     * @param pluginVersion     written into generated headers
     */
    public static List<RenderedFile> render(DeploymentConfig config, Path overrideDirectory, String pluginVersion)
            throws IOException, TemplateFailureException {
        List<String> extra = config.release().target() == ReleaseTarget.SWARM ? TemplateRenderer.SWARM_OUTPUTS : List.of();
        return new TemplateRenderer(overrideDirectory).render(TemplateData.of(config, pluginVersion), extra);
    }
}
