/**
 * What task code implements: a {@link io.taskwire.worker.handler.TaskHandler} bean per task type, the
 * {@link io.taskwire.worker.handler.TaskContext} of the attempt it runs, and
 * {@link io.taskwire.worker.handler.TaskFailedException} to fail with a code of its own. The worker's
 * built-in {@code echo} and {@code sleep} handlers live here too; the rest of the worker is internal.
 */
package io.taskwire.worker.handler;
