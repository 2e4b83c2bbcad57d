package io.taskwire.worker.execution;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskwire.worker.handler.TaskHandler;
import io.taskwire.worker.handler.TaskwireHandler;
import java.lang.reflect.Method;
import java.util.Map;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

/**
 * Finds the {@link TaskwireHandler} methods of the context's beans before any bean is made, and
 * registers a {@link TaskHandler} bean for each, so that {@link TaskHandlers} sees them beside the
 * {@code TaskHandler} beans. Two handlers of one type stop the worker at start-up there.
 */
public class HandlerMethods implements BeanFactoryPostProcessor {

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beans) {
        if (!(beans instanceof BeanDefinitionRegistry registry)) {
            return;
        }
        for (String name : beans.getBeanDefinitionNames()) {
            Class<?> type;
            try {
                type = beans.getType(name, false);
            } catch (RuntimeException unresolvable) {
                continue;
            }
            if (type == null) {
                continue;
            }
            Class<?> userType = ClassUtils.getUserClass(type);
            Map<Method, TaskwireHandler> methods = MethodIntrospector.selectMethods(userType,
                    (MethodIntrospector.MetadataLookup<TaskwireHandler>) method ->
                            AnnotatedElementUtils.findMergedAnnotation(method, TaskwireHandler.class));
            methods.forEach((method, annotation) -> {
                String taskType = annotation.value();
                RootBeanDefinition handler = new RootBeanDefinition(TaskHandler.class, () -> {
                    Object bean = beans.getBean(name);
                    Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
                    return new MethodTaskHandler(taskType, bean, invocable, beans.getBean(ObjectMapper.class));
                });
                registry.registerBeanDefinition("taskwireHandler#" + name + "." + method.getName(), handler);
            });
        }
    }
}
