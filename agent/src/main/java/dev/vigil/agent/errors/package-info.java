/**
 * Error classification and fingerprinting. The classes here use JDK types only: the collector uses
 * the same {@link dev.vigil.agent.errors.ErrorFingerprint} to group plain OpenTelemetry exceptions,
 * so a fingerprint computed in the agent and one computed in the collector from the text of the
 * same stack trace are equal.
 */
package dev.vigil.agent.errors;
