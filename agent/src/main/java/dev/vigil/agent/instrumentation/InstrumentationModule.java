package dev.vigil.agent.instrumentation;

import java.util.List;

/**
 * One instrumented library or API (servlet, jdbc, jdk-httpserver, ...). Its {@link #name()} is the
 * key of its switch, {@code vigil.instrumentation.<name>.enabled}.
 */
public interface InstrumentationModule {
    String name();

    List<TypeInstrumentation> typeInstrumentations();
}
