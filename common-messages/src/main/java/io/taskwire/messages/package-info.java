/**
 * The Taskwire wire contract, protocol version 1 (PROTOCOL.md): one record per message, the route
 * names ({@link io.taskwire.messages.Routes}), the error codes ({@link io.taskwire.messages.ErrorCode})
 * and the JSON settings every peer uses ({@link io.taskwire.messages.Json}).
 *
 * <p>Records validate in their constructors: a message that decodes is a message the protocol allows.
 * A violation throws {@link io.taskwire.messages.InvalidMessageException} naming the field.
 */
package io.taskwire.messages;
