/**
 * The bridge between instrumented application code and the agent. These classes are appended to
 * the bootstrap class path, so advice inlined into any class (JDK, container or application) can
 * call them. Rules: JDK types only, no dependencies, static entry points that never throw and do
 * nothing until the agent core has installed its implementation.
 */
package dev.vigil.agent.bootstrap;
