/**
 * What task code implements: a {@link io.taskwire.worker.handler.TaskHandler} bean per task type, or
 * a method annotated {@link io.taskwire.worker.handler.TaskwireHandler}; the
 * {@link io.taskwire.worker.handler.TaskContext} of the attempt it runs; and
 * {@link io.taskwire.worker.handler.TaskFailedException} to fail with a code of its own. The rest
 * of the worker is internal.
 */
package io.taskwire.worker.handler;
