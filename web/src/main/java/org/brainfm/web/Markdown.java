package org.brainfm.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/** docs/metrics.md as HTML: the metric conventions, served from the copy packaged with the site. */
final class Markdown {
    private Markdown() {}

    static String metricConventions() {
        try (InputStream in = Markdown.class.getResourceAsStream("docs/metrics.md")) {
            if (in == null) {
                throw new IllegalStateException("docs/metrics.md is missing from the site's jar; rebuild the web module");
            }
            return render(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Markdown to HTML; raw HTML in the source is escaped, so the output holds only what Markdown makes. */
    static String render(String markdown) {
        var extensions = List.of(TablesExtension.create());
        Parser parser = Parser.builder().extensions(extensions).build();
        HtmlRenderer renderer = HtmlRenderer.builder().extensions(extensions).escapeHtml(true).sanitizeUrls(true)
                .attributeProviderFactory(context -> (node, tag, attributes) -> {
                    if (tag.equals("th")) {
                        attributes.put("scope", "col");
                    }
                })
                .build();
        return renderer.render(parser.parse(markdown));
    }
}
