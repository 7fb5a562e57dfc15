package dev.vigil.collector.runbooks;

import static java.util.Objects.requireNonNull;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import dev.vigil.collector.rules.TemplateCheck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The runbook templates folder. Templates are compiled when the rules are loaded (so a broken
 * template is a load error with its line) and read again when the file changes.
 */
public final class RunbookTemplates implements TemplateCheck {
    private final Path dir;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(long modified, long size, Template template) {}

    public RunbookTemplates(Path dir) {
        this.dir = requireNonNull(dir, "dir");
    }

    public Path dir() {
        return dir;
    }

    static Mustache.Compiler compiler() {
        // Markdown output: no HTML escaping here; the HTML view escapes raw HTML when it renders Markdown.
        return Mustache.compiler().escapeHTML(false).defaultValue("");
    }

    @Override
    public String problem(String templateName) {
        Path file = dir.resolve(templateName);
        if (!Files.isRegularFile(file)) {
            return "runbook template '" + templateName + "' does not exist in " + dir
                    + " (set 'runbook:' or add the file)";
        }
        try {
            template(templateName);
            return null;
        } catch (IOException e) {
            return "runbook template '" + templateName + "' cannot be read: " + e.getMessage();
        } catch (MustacheException e) {
            return "runbook template '" + templateName + "' is not valid Mustache: " + e.getMessage();
        }
    }

    /** The compiled template; recompiled when the file changed. */
    Template template(String templateName) throws IOException {
        Path file = dir.resolve(templateName);
        long modified = Files.getLastModifiedTime(file).toMillis();
        long size = Files.size(file);
        Cached c = cache.get(templateName);
        if (c != null && c.modified == modified && c.size == size) {
            return c.template;
        }
        Template t = compiler().compile(Files.readString(file, StandardCharsets.UTF_8));
        cache.put(templateName, new Cached(modified, size, t));
        return t;
    }
}
