package org.brainfm.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A board as a page shows it: sortable headings (links, so sorting needs no script), the rows
 * of one page in the chosen order, and links to the other pages.
 */
public record Table<R>(List<Heading> headings, List<R> rows, Pager pager, String sort, boolean ascending) {
    static final int ROWS_PER_PAGE = 100;

    /** A column heading: its link sorts by it (the other way round when it is the current sort). */
    public record Heading(String key, String label, String title, String href, String ariaSort, String mark) {}

    public record Pager(int page, int pages, int from, int to, int total, String previous, String next) {}

    /**
     * @param params the page's other query parameters, kept in every link
     * @param sort   the column key asked for, or null for the first column
     * @param sorter the rows in a column's order, ascending or not (the caller may cache it)
     */
    static <R> Table<R> of(String path, Map<String, String> params, List<Column<R>> columns,
            Map<String, String> titles, BiFunction<Column<R>, Boolean, List<R>> sorter, String sort, String dir,
            String page) {
        Column<R> column = sort == null || sort.isBlank() ? columns.get(0) : Column.find(columns, sort);
        boolean ascending = Column.ascending(column, dir);
        List<R> sorted = sorter.apply(column, ascending);
        int pages = Math.max(1, (sorted.size() + ROWS_PER_PAGE - 1) / ROWS_PER_PAGE);
        int current = page(page, pages);
        int from = (current - 1) * ROWS_PER_PAGE;
        int to = Math.min(sorted.size(), from + ROWS_PER_PAGE);

        List<Heading> headings = new ArrayList<>();
        for (Column<R> c : columns) {
            boolean active = c == column;
            boolean next = active ? !ascending : c.ascendingFirst();
            Map<String, String> q = new LinkedHashMap<>(params);
            q.put("sort", c.key());
            q.put("dir", next ? "asc" : "desc");
            headings.add(new Heading(c.key(), c.label(), titles.getOrDefault(c.key(), "Sort by " + c.label()),
                    Links.query(path, q), active ? (ascending ? "ascending" : "descending") : null,
                    active ? (ascending ? "▲" : "▼") : ""));
        }
        Map<String, String> kept = new LinkedHashMap<>(params);
        kept.put("sort", column.key());
        kept.put("dir", ascending ? "asc" : "desc");
        String previous = current > 1 ? Links.query(path, with(kept, "page", Integer.toString(current - 1))) : null;
        String nextPage = current < pages ? Links.query(path, with(kept, "page", Integer.toString(current + 1))) : null;
        Pager pager = new Pager(current, pages, sorted.isEmpty() ? 0 : from + 1, to, sorted.size(), previous, nextPage);
        return new Table<>(List.copyOf(headings), List.copyOf(sorted.subList(from, to)), pager, column.key(), ascending);
    }

    /** The heading of one column, for templates that place columns one by one. */
    public Heading heading(String key) {
        return headings.stream().filter(h -> h.key().equals(key)).findFirst().orElseThrow();
    }

    /** A key naming this view (sort, direction, page) for caching what is rendered from it. */
    String viewKey() {
        return sort + (ascending ? ":asc:" : ":desc:") + pager.page();
    }

    private static int page(String value, int pages) {
        if (value == null || value.isBlank()) {
            return 1;
        }
        int page;
        try {
            page = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new BadRequest("page", "is '" + value + "'; give a page number");
        }
        if (page < 1 || page > pages) {
            throw new BadRequest("page", "is " + page + "; this board has " + pages + (pages == 1 ? " page" : " pages"));
        }
        return page;
    }

    private static Map<String, String> with(Map<String, String> params, String key, String value) {
        Map<String, String> q = new LinkedHashMap<>(params);
        q.put(key, value);
        return q;
    }
}
