package org.brainfm.chart;

/**
 * A {@link Plot} as a standalone SVG element with its own styles (no stylesheet, no script, no
 * link), for files that must read offline such as {@code brainfm report}'s HTML. Every text is
 * escaped; numbers are the plot's view-box coordinates.
 */
public final class Svg {
    private static final String STYLE = "<style>"
            + ".grid line{stroke:#e4e4e4}.axis line{stroke:#444}text{font:11px sans-serif;fill:#222}"
            + ".tick.y{text-anchor:end}.tick.x,.label.x,.label.y{text-anchor:middle}.label{font-size:12px}"
            + ".family-CNN{fill:#1f77b4}.family-Transformer{fill:#d62728}.family-Hybrid,.family-Other{fill:#7f7f7f}"
            + ".on-front{stroke:#000;stroke-width:1.5}.line{fill:none;stroke:#555;stroke-dasharray:4 3}"
            + ".name{font-size:10px}</style>";

    private Svg() {}

    public static String of(Plot p) {
        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 ").append(p.width()).append(' ')
                .append(p.height()).append("\" width=\"").append(p.width()).append("\" height=\"").append(p.height())
                .append("\" aria-labelledby=\"").append(escape(p.titleId())).append(' ').append(escape(p.descriptionId()))
                .append("\">").append(STYLE);
        s.append("<title id=\"").append(escape(p.titleId())).append("\">").append(escape(p.title())).append("</title>");
        s.append("<desc id=\"").append(escape(p.descriptionId())).append("\">").append(escape(p.description()))
                .append("</desc><g class=\"grid\">");
        for (Plot.Tick t : p.yTicks()) {
            line(s, p.left(), t.at(), p.right(), t.at());
        }
        for (Plot.Tick t : p.xTicks()) {
            line(s, t.at(), p.top(), t.at(), p.bottom());
        }
        s.append("</g><g class=\"axis\">");
        line(s, p.left(), p.bottom(), p.right(), p.bottom());
        line(s, p.left(), p.top(), p.left(), p.bottom());
        for (Plot.Tick t : p.xTicks()) {
            text(s, "tick x", t.at(), p.bottom() + 18, null, t.label());
        }
        for (Plot.Tick t : p.yTicks()) {
            text(s, "tick y", p.left() - 6, t.at() + 4, null, t.label());
        }
        text(s, "label x", (p.left() + p.right()) / 2.0, p.height() - 8, null, p.xLabel());
        s.append("<text class=\"label y\" transform=\"translate(16 ").append(Plot.fmt((p.top() + p.bottom()) / 2.0))
                .append(") rotate(-90)\">").append(escape(p.yLabel())).append("</text></g>");
        for (Plot.Line l : p.lines()) {
            s.append("<path class=\"line ").append(escape(l.cssClass())).append("\" d=\"").append(escape(l.path()))
                    .append("\"/>");
        }
        s.append("<g class=\"marks\">");
        for (Plot.Marker m : p.markers()) {
            String title = "<title>" + escape(m.label()) + "</title>";
            String css = escape(m.cssClass());
            switch (m.shape()) {
                case "triangle" -> s.append("<polygon class=\"").append(css).append("\" points=\"")
                        .append(m.trianglePoints()).append("\">").append(title).append("</polygon>");
                case "square" -> s.append("<rect class=\"").append(css).append("\" x=\"").append(Plot.fmt(m.x() - 4.5))
                        .append("\" y=\"").append(Plot.fmt(m.y() - 4.5)).append("\" width=\"9\" height=\"9\">")
                        .append(title).append("</rect>");
                default -> s.append("<circle class=\"").append(css).append("\" cx=\"").append(Plot.fmt(m.x()))
                        .append("\" cy=\"").append(Plot.fmt(m.y())).append("\" r=\"4.5\">").append(title)
                        .append("</circle>");
            }
            if (m.name() != null) {
                text(s, "name", m.nameX(), m.nameY(), m.nameAnchor(), m.name());
            }
        }
        return s.append("</g></svg>").toString();
    }

    /** Text for an HTML or XML element or attribute: {@link #visible}, then the markup characters as entities. */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : visible(text).toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * The text with each character that reorders or hides text (U+202A-202E, U+2066-2069,
     * U+200B-200F, U+FEFF) written as its code (a backslash, u, four hex digits), as the site does, so that no name
     * passes for another.
     */
    public static String visible(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if ((c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069') || (c >= '\u200B' && c <= '\u200F')
                    || c == '\uFEFF') {
                out.append(String.format("\\u%04X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static void line(StringBuilder s, double x1, double y1, double x2, double y2) {
        s.append("<line x1=\"").append(Plot.fmt(x1)).append("\" y1=\"").append(Plot.fmt(y1)).append("\" x2=\"")
                .append(Plot.fmt(x2)).append("\" y2=\"").append(Plot.fmt(y2)).append("\"/>");
    }

    private static void text(StringBuilder s, String css, double x, double y, String anchor, String text) {
        s.append("<text class=\"").append(css).append("\" x=\"").append(Plot.fmt(x)).append("\" y=\"").append(Plot.fmt(y))
                .append('"');
        if (anchor != null) {
            s.append(" text-anchor=\"").append(anchor).append('"');
        }
        s.append('>').append(escape(text)).append("</text>");
    }
}
