package dev.vigil.collector.instances;

import java.util.Locale;

/** Whether an instance still reports. */
public enum InstanceState {
    /** Reported within {@code instances.silent_after}. */
    REPORTING,
    /** Has not reported for {@code instances.silent_after}, and did not say it was stopping. */
    SILENT,
    /** Its agent reported a graceful shutdown after its last report. */
    STOPPED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
