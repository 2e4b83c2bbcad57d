package io.taskwire.worker.execution;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.taskwire.worker.handler.TaskContext;
import io.taskwire.worker.handler.TaskHandler;
import io.taskwire.worker.handler.TaskwireHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;

/** A {@link TaskwireHandler} method as a {@link TaskHandler}: reads the payload, calls it, writes its output. */
final class MethodTaskHandler implements TaskHandler {

    private final String type;
    private final Object bean;
    private final Method method;
    private final ObjectMapper mapper;
    /** The payload parameter's place, -1 when there is none. */
    private final int payloadAt;
    /** The context parameter's place, -1 when there is none. */
    private final int contextAt;
    private final JavaType payloadType;

    MethodTaskHandler(String type, Object bean, Method method, ObjectMapper mapper) {
        this.type = type;
        this.bean = bean;
        this.method = method;
        this.mapper = mapper;
        int payload = -1;
        int context = -1;
        Type[] parameters = method.getGenericParameterTypes();
        for (int i = 0; i < parameters.length; i++) {
            if (method.getParameterTypes()[i] == TaskContext.class && context < 0) {
                context = i;
            } else if (payload < 0) {
                payload = i;
            } else {
                throw new IllegalStateException("@TaskwireHandler(\"" + type + "\") " + describe(method)
                        + " takes more than one payload parameter; it may take one, and a TaskContext");
            }
        }
        this.payloadAt = payload;
        this.contextAt = context;
        this.payloadType = payload < 0 ? null : mapper.getTypeFactory().constructType(parameters[payload]);
        method.setAccessible(true);
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public JsonNode execute(JsonNode payload, TaskContext context) throws Exception {
        Object[] arguments = new Object[method.getParameterCount()];
        if (payloadAt >= 0) {
            try {
                arguments[payloadAt] = payloadType.getRawClass() == JsonNode.class ? payload
                        : mapper.readerFor(payloadType).readValue(payload);
            } catch (java.io.IOException | IllegalArgumentException unreadable) {
                // a payload the handler cannot read will not read on another attempt either
                throw new IllegalArgumentException("the payload of a " + type + " task is not a "
                        + payloadType.toCanonical() + ": " + unreadable.getMessage(), unreadable);
            }
        }
        if (contextAt >= 0) {
            arguments[contextAt] = context;
        }
        Object output;
        try {
            output = method.invoke(bean, arguments);
        } catch (InvocationTargetException thrown) {
            Throwable cause = thrown.getCause();
            if (cause instanceof Exception exception) {
                throw exception;
            }
            throw (Error) cause;
        }
        if (output == null) {
            return NullNode.getInstance();
        }
        return output instanceof JsonNode json ? json : mapper.valueToTree(output);
    }

    @Override
    public String toString() {
        return describe(method);
    }

    static String describe(Method method) {
        return method.getDeclaringClass().getName() + "." + method.getName();
    }
}
