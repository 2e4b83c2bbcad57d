/**
 * RSocket glue that the scheduler and the worker share: the route guard in front of every
 * responder, the mapping of failures to the protocol's JSON errors, and the JSON codec settings.
 */
package io.taskwire.transport;
