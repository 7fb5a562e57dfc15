package dev.vigil.collector.store;

/**
 * SQLite's {@code PRAGMA synchronous} in WAL mode. Both survive {@code kill -9}: a commit is in
 * the WAL file (the OS page cache) before {@code COMMIT} returns, and the kernel keeps it when the
 * process dies. They differ on power loss or an OS crash.
 */
public enum Synchronous {
    /** The WAL is fsynced at every commit: an acknowledged write survives power loss too. */
    FULL,
    /** The WAL is fsynced only at checkpoints: power loss may undo the last commits, never corrupt. */
    NORMAL
}
