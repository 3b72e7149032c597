package fr.miweb.maven.frankenphp.render;

import fr.miweb.maven.frankenphp.context.SecretFiles;
import fr.miweb.maven.frankenphp.docker.ImageRecord;
import fr.miweb.maven.frankenphp.files.AtomicFiles;
import freemarker.cache.ClassTemplateLoader;
import freemarker.cache.FileTemplateLoader;
import freemarker.cache.MultiTemplateLoader;
import freemarker.cache.TemplateLoader;
import freemarker.core.ParseException;
import freemarker.core.PlainTextOutputFormat;
import freemarker.template.Configuration;
import freemarker.template.SimpleObjectWrapper;
import freemarker.template.Template;
import freemarker.core.TemplateClassResolver;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import freemarker.template.TemplateMethodModelEx;
import freemarker.template.TemplateModelException;
import freemarker.template.TemplateScalarModel;
import freemarker.template.Version;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Renders the deployment files from FreeMarker templates: the built-in ones shipped in the plugin,
 * each replaceable by a file of the same name in a user override directory, plus any extra
 * {@code .ftl} file found there.
 *
 * <p>FreeMarker is locked down for untrusted values: no {@code ?new} class instantiation, no
 * {@code ?api}, errors rethrown (never rendered into the output), "c" number and boolean formats
 * (no digit grouping), no localized template lookup, and square-bracket interpolation
 * ({@code [=x]}) so that {@code ${...}} in Dockerfiles, shell and compose files stays literal.
 */
public final class TemplateRenderer {

    /** Built-in templates, by the path of the file they produce. The seed's layout. */
    public static final List<String> BUILT_IN_OUTPUTS = List.of(
            "Dockerfile",
            "docker-compose.prod.yml",
            "Caddyfile",
            "docker/php/php.ini",
            "docker/laravel-entrypoint.sh",
            ".dockerignore",
            ".env.production.example",
            "DEPLOY.md");

    /** Rendered as well with {@code <release><target>swarm</target>}: the stack file and its proxy's Caddyfile. */
    public static final List<String> SWARM_OUTPUTS = List.of(TemplateData.STACK_FILE, TemplateData.STACK_CADDYFILE);

    public static final String TEMPLATE_SUFFIX = ".ftl";
    private static final String BUILT_IN_ROOT = "/fr/miweb/maven/frankenphp/templates";
    private static final Version FREEMARKER_COMPATIBILITY = Configuration.VERSION_2_3_34;

    private final Configuration freemarker;
    private final Path overrideDirectory;

    /**
     * @param overrideDirectory the user's template directory; it may not exist
     */
    public TemplateRenderer(Path overrideDirectory) throws IOException {
        this.overrideDirectory = overrideDirectory;
        this.freemarker = lockedDownConfiguration(templateLoader(overrideDirectory));
    }

    /**
     * Renders every template. All or nothing: the first failure throws and no result is returned.
     *
     * @return the files, sorted by path
     */
    public List<RenderedFile> render(Map<String, Object> data) throws TemplateFailureException, IOException {
        return render(data, List.of());
    }

    /**
     * As {@link #render(Map)}, with more built-in outputs, such as {@link #SWARM_OUTPUTS}.
     */
    public List<RenderedFile> render(Map<String, Object> data, List<String> extraOutputs) throws TemplateFailureException, IOException {
        Map<String, Object> model = new LinkedHashMap<>(data);
        model.putAll(quotingFunctions());
        Map<String, RenderedFile> files = new TreeMap<>();
        List<String> outputs = outputs();
        extraOutputs.stream().filter(o -> !outputs.contains(o)).forEach(outputs::add);
        for (String output : outputs) {
            files.put(output, new RenderedFile(output, renderOne(output + TEMPLATE_SUFFIX, model)));
        }
        return List.copyOf(files.values());
    }

    /** The template names an override directory replaces, and the extra ones it adds. */
    public List<String> overriddenTemplates() throws IOException {
        return userTemplates().stream().filter(n -> BUILT_IN_OUTPUTS.contains(outputOf(n))).toList();
    }

    private List<String> outputs() throws IOException, TemplateFailureException {
        List<String> outputs = new ArrayList<>(BUILT_IN_OUTPUTS);
        for (String template : userTemplates()) {
            String output = outputOf(template);
            checkInsideOutput(template, output);
            if (output.equals(ImageRecord.FILE_NAME) || output.endsWith(AtomicFiles.TEMP_SUFFIX)) {
                // image.json is build's record of the image push acts on; *.frankenphp-tmp are files being written.
                throw new TemplateFailureException("Template '" + template + "' would write " + output
                        + ", a name the plugin reserves for its own files in the output directory. Rename the template.");
            }
            if (SecretFiles.isDotenv(output)) {
                throw new TemplateFailureException("Template '" + template + "' would write " + output
                        + ", a dotenv file: the plugin never writes .env files, which hold the server's secrets. Rename the template.");
            }
            if (!outputs.contains(output)) {
                outputs.add(output);
            }
        }
        return outputs;
    }

    private byte[] renderOne(String templateName, Map<String, Object> model) throws TemplateFailureException, IOException {
        Template template;
        try {
            template = freemarker.getTemplate(templateName);
        } catch (ParseException e) {
            throw new TemplateFailureException("Template " + describe(templateName) + " has a syntax error at line "
                    + e.getLineNumber() + ", column " + e.getColumnNumber() + ": " + e.getEditorMessage(), e);
        } catch (SecurityException e) {
            // FileTemplateLoader's refusal of a symbolic link that leaves the override directory.
            throw new TemplateFailureException("Template " + describe(templateName)
                    + " is a link to a file outside the template directory: " + e.getMessage(), e);
        }
        StringWriter out = new StringWriter();
        try {
            template.process(model, out);
        } catch (TemplateException e) {
            String where = e.getTemplateSourceName() != null ? describe(e.getTemplateSourceName()) : describe(templateName);
            throw new TemplateFailureException("Template " + where + " failed at line " + e.getLineNumber()
                    + ", column " + e.getColumnNumber() + ": " + firstLine(e.getMessageWithoutStackTop()), e);
        } catch (SecurityException e) {
            throw new TemplateFailureException("Template " + describe(templateName)
                    + " includes a link to a file outside the template directory: " + e.getMessage(), e);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private String describe(String templateName) {
        Path override = overrideDirectory == null ? null : overrideDirectory.resolve(templateName);
        return override != null && Files.isRegularFile(override)
                ? "'" + templateName + "' (" + override + ")"
                : "'" + templateName + "' (built-in)";
    }

    private List<String> userTemplates() throws IOException {
        if (overrideDirectory == null || !Files.isDirectory(overrideDirectory)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(overrideDirectory)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(TEMPLATE_SUFFIX))
                    .map(p -> overrideDirectory.relativize(p).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        }
    }

    private static String outputOf(String templateName) {
        return templateName.substring(0, templateName.length() - TEMPLATE_SUFFIX.length());
    }

    /** An output path must stay inside the output directory, whatever a template is called. */
    static void checkInsideOutput(String templateName, String output) throws TemplateFailureException {
        Path relative = Path.of(output).normalize();
        if (output.isEmpty() || relative.isAbsolute() || relative.startsWith("..") || output.contains("\\")
                || Path.of(output).getNameCount() != relative.getNameCount()) {
            throw new TemplateFailureException("Template '" + templateName
                    + "' would write outside the output directory; rename it to a plain relative path.");
        }
    }

    private static TemplateLoader templateLoader(Path overrideDirectory) throws IOException {
        TemplateLoader builtIn = new ClassTemplateLoader(TemplateRenderer.class, BUILT_IN_ROOT);
        if (overrideDirectory == null || !Files.isDirectory(overrideDirectory)) {
            return builtIn;
        }
        // FileTemplateLoader refuses files whose real path leaves the directory (symlinks included).
        return new MultiTemplateLoader(new TemplateLoader[] {new FileTemplateLoader(overrideDirectory.toFile()), builtIn});
    }

    private static Configuration lockedDownConfiguration(TemplateLoader loader) {
        Configuration cfg = new Configuration(FREEMARKER_COMPATIBILITY);
        cfg.setTemplateLoader(loader);
        cfg.setNewBuiltinClassResolver(TemplateClassResolver.ALLOWS_NOTHING_RESOLVER);
        cfg.setAPIBuiltinEnabled(false);
        cfg.setObjectWrapper(new SimpleObjectWrapper(FREEMARKER_COMPATIBILITY));
        cfg.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        cfg.setLogTemplateExceptions(false);
        cfg.setWrapUncheckedExceptions(true);
        cfg.setFallbackOnNullLoopVariable(false);
        cfg.setNumberFormat("c");
        cfg.setBooleanFormat("c");
        cfg.setLocalizedLookup(false);
        cfg.setLocale(Locale.ROOT);
        cfg.setTimeZone(TimeZone.getTimeZone("UTC"));
        cfg.setDefaultEncoding("UTF-8");
        cfg.setOutputFormat(PlainTextOutputFormat.INSTANCE);
        cfg.setTagSyntax(Configuration.ANGLE_BRACKET_TAG_SYNTAX);
        cfg.setInterpolationSyntax(Configuration.SQUARE_BRACKET_INTERPOLATION_SYNTAX);
        return cfg;
    }

    private static Map<String, Object> quotingFunctions() {
        Map<String, Object> functions = new LinkedHashMap<>();
        functions.put("quoteYaml", function("quoteYaml", Quoting::yaml));
        functions.put("quoteCompose", function("quoteCompose", Quoting::compose));
        functions.put("quoteIni", function("quoteIni", Quoting::ini));
        functions.put("quoteEnv", function("quoteEnv", Quoting::env));
        functions.put("quoteShell", function("quoteShell", Quoting::sh));
        functions.put("quoteJson", function("quoteJson", Quoting::json));
        return functions;
    }

    private static TemplateMethodModelEx function(String name, UnaryOperator<String> quote) {
        return arguments -> {
            if (arguments.size() != 1) {
                throw new TemplateModelException(name + "(value) takes exactly one argument");
            }
            Object argument = arguments.get(0);
            if (argument instanceof TemplateScalarModel scalar) {
                return quote.apply(scalar.getAsString());
            }
            if (argument instanceof freemarker.template.TemplateNumberModel number) {
                return quote.apply(String.valueOf(number.getAsNumber()));
            }
            throw new TemplateModelException(name + "(value) takes a string; got "
                    + Optional.ofNullable(argument).map(a -> a.getClass().getSimpleName()).orElse("nothing"));
        };
    }

    private static String firstLine(String message) {
        String trimmed = message.strip();
        int end = trimmed.indexOf("\n----");
        return (end > 0 ? trimmed.substring(0, end) : trimmed).strip();
    }
}
