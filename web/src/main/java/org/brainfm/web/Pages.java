package org.brainfm.web;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/**
 * The Thymeleaf templates under {@code templates/} on the class path. Every page gets
 * {@code fmt} ({@link Format}) and {@code nav} (the current section, for the menu); every
 * text a template writes with {@code th:text} or an attribute is escaped there.
 *
 * <p>No page holds a character that reorders or hides text (bidi embeddings, overrides and
 * isolates, zero-width characters and marks, the byte-order mark): with them one team's name
 * could read as another's. Each is shown as its code instead (a backslash, u and four hex digits),
 * wherever on the page a name from outside went (text, titles, labels of plots).
 */
final class Pages {
    private static final Pattern INVISIBLE = Pattern.compile("[\u202A-\u202E\u2066-\u2069\u200B-\u200F\uFEFF]");

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
        return visible(engine.process(template, context));
    }

    private static String visible(String html) {
        return INVISIBLE.matcher(html).replaceAll(c -> Matcher.quoteReplacement(
                String.format("\\u%04X", (int) c.group().charAt(0))));
    }
}
