package dev.vigil.collector;

/** Placeholder entry point; the collector is built in its own issue. */
public final class CollectorMain {
    private CollectorMain() {}

    public static void main(String[] args) {
        System.err.println("vigil-collector: not implemented yet");
        System.exit(1);
    }
}
