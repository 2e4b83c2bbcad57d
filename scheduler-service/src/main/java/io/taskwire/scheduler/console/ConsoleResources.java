package io.taskwire.scheduler.console;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.resource.ResourceUrlEncodingFilter;

/**
 * The console's static resources. webjars-locator-lite, which serves the WebJars under paths without
 * their versions, turns Spring's resource chain on, and with it Boot registers a
 * {@link ResourceUrlEncodingFilter} for Thymeleaf: it looks every link a page writes up as a static
 * resource, a class-path lookup per link, which made a table of 50 tasks take seconds under load
 * (BENCHMARKS.md, comparison 8). Taskwire writes no versioned resource URL, so that filter is
 * registered here, off, in place of Boot's.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleResources {

    @Bean
    FilterRegistrationBean<ResourceUrlEncodingFilter> resourceUrlEncodingFilter() {
        FilterRegistrationBean<ResourceUrlEncodingFilter> off = new FilterRegistrationBean<>(new ResourceUrlEncodingFilter());
        off.setEnabled(false);
        return off;
    }
}
