package dev.vigil.collector.runbooks;

import static java.util.Objects.requireNonNull;

import dev.vigil.collector.rules.Alert;
import dev.vigil.collector.rules.AlertRule;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * Renders an alert's runbook: Mustache over the template, then Markdown to HTML. Any failure
 * (template gone, broken, a value that cannot render) still produces a page: the raw alert data
 * and a note saying what failed, so the link in a page never leads to an error.
 */
public final class RunbookRenderer {
    private static final List<org.commonmark.Extension> EXTENSIONS = List.of(TablesExtension.create());
    private static final Parser MARKDOWN =
            Parser.builder().extensions(EXTENSIONS).build();
    // escapeHtml: raw HTML in templates or in values (stack traces with <init>) shows as text.
    private static final HtmlRenderer HTML = HtmlRenderer.builder()
            .extensions(EXTENSIONS)
            .escapeHtml(true)
            .sanitizeUrls(true)
            .build();

    private final RunbookTemplates templates;

    public RunbookRenderer(RunbookTemplates templates) {
        this.templates = requireNonNull(templates, "templates");
    }

    /**
     * The rendered Markdown.
     *
     * @param rule the alert's rule, or null if it no longer exists
     * @param variables the template variables of the alert
     */
    public Rendered markdown(Alert alert, AlertRule rule, Map<String, Object> variables) {
        String template = rule != null ? rule.runbook() : null;
        if (template == null) {
            return fallback(
                    alert,
                    variables,
                    "The rule " + alert.rule() + " is no longer loaded, so its runbook" + " template is unknown.");
        }
        try {
            String md = templates.template(template).execute(variables);
            return new Rendered(md, true, null);
        } catch (IOException e) {
            return fallback(
                    alert, variables, "The runbook template `" + template + "` could not be read: " + e.getMessage());
        } catch (RuntimeException e) { // MustacheException, or a value whose toString fails
            return fallback(
                    alert, variables, "The runbook template `" + template + "` failed to render: " + e.getMessage());
        }
    }

    /** A full HTML page for the Markdown. */
    public static String html(String title, String markdown) {
        String body = HTML.render(MARKDOWN.parse(markdown));
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + escape(title) + "</title><style>"
                + "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}"
                + "pre{background:#f4f4f4;padding:.75rem;overflow-x:auto}code{background:#f4f4f4}"
                + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem}"
                + ".note{border-left:4px solid #c60;padding-left:1rem}"
                + "</style></head><body>\n" + body + "</body></html>\n";
    }

    /**
     * A rendering result.
     *
     * @param markdown the Markdown text
     * @param fromTemplate false when this is the fallback page
     * @param problem what failed, for the fallback
     */
    public record Rendered(String markdown, boolean fromTemplate, String problem) {}

    private static Rendered fallback(Alert alert, Map<String, Object> variables, String problem) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(alert.rule()).append("\n\n");
        md.append("> **Note:** this is not the runbook. ")
                .append(problem)
                .append(" Below is the raw alert data; fix the template in `runbook-templates/` and reload.\n\n");
        md.append("## Alert\n\n");
        md.append("- **id:** `").append(alert.id()).append("`\n");
        md.append("- **state:** ").append(alert.state().lower()).append("\n");
        md.append("- **starts at:** ").append(alert.startsAt()).append("\n");
        if (alert.resolvedAt() != null) {
            md.append("- **resolved at:** ").append(alert.resolvedAt()).append("\n");
        }
        md.append("- **value:** ")
                .append(variables.getOrDefault("value", alert.value()))
                .append("\n\n");
        md.append("## Labels\n\n");
        alert.labels()
                .asMap()
                .forEach((k, v) ->
                        md.append("- `").append(k).append("`: `").append(v).append("`\n"));
        md.append("\n## Annotations\n\n");
        new TreeMap<>(alert.annotations())
                .forEach((k, v) ->
                        md.append("- `").append(k).append("`: ").append(v).append('\n'));
        Object group = variables.get("error_group");
        if (group instanceof Map<?, ?> g) {
            md.append("\n## Error group\n\n```text\n");
            Object type = g.get("type");
            Object message = g.get("message");
            md.append(type).append(": ").append(message).append("\n\n");
            Object stack = g.get("stack_trace");
            if (stack != null) {
                md.append(stack).append('\n');
            }
            md.append("```\n");
        }
        return new Rendered(md.toString(), false, problem);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
