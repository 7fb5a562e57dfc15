package dev.vigil.collector.errors;

/**
 * Told about groups that need attention, after the change is committed, on the errors writer
 * thread: keep it quick and do not call back into {@link ErrorGroups} writes.
 */
public interface ErrorGroupListener {
    /** A group was seen for the first time. */
    default void created(ErrorGroup group) {}

    /** A resolved group was seen again. */
    default void regressed(ErrorGroup group) {}
}
