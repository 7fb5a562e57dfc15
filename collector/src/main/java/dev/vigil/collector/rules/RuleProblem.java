package dev.vigil.collector.rules;

/**
 * One problem in a rule file, reported as {@code file:line:column: message}.
 *
 * @param file the file as given to the loader
 * @param line 1-based line, 0 when the problem concerns the whole file
 * @param column 1-based column, 0 when unknown
 * @param message what is wrong and, where possible, how to fix it
 */
public record RuleProblem(String file, int line, int column, String message) {
    @Override
    public String toString() {
        if (line <= 0) {
            return file + ": " + message;
        }
        return file + ":" + line + ":" + column + ": " + message;
    }
}
