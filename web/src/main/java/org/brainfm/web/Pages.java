package org.brainfm.web;

import java.util.Map;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/**
 * The Thymeleaf templates under {@code templates/} on the class path. Every page gets
 * {@code fmt} ({@link Format}) and {@code nav} (the current section, for the menu); every
 * text a template writes with {@code th:text} or an attribute is escaped there.
 */
final class Pages {
    private final TemplateEngine engine = new TemplateEngine();

    Pages() {
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver(Pages.class.getClassLoader());
        resolver.setPrefix("templates/");
        resolver.setSuffix(".html");
        resolver.setTemplateMode(TemplateMode.HTML);
        resolver.setCharacterEncoding("UTF-8");
        resolver.setCacheable(true);
        engine.setTemplateResolver(resolver);
    }

    String render(String template, String nav, Map<String, Object> variables) {
        Context context = new Context(java.util.Locale.ROOT);
        context.setVariables(variables);
        context.setVariable("fmt", Format.INSTANCE);
        context.setVariable("nav", nav);
        return engine.process(template, context);
    }
}
