package org.brainfm.web;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * A sortable column of a board: its key in {@code ?sort=}, its heading, the value rows sort
 * by (a number or a text; null and NaN always sort last), and the direction a first click
 * sorts in (best first for metrics).
 */
record Column<R>(String key, String label, Function<R, Object> value, boolean ascendingFirst) {
    /** A board's rows sorted by {@code key} ({@code null}: the given order) in the given direction; ties keep that order. */
    static <R> List<R> sort(List<R> rows, Column<R> column, boolean ascending) {
        List<R> sorted = new ArrayList<>(rows);
        sorted.sort((a, b) -> compare(column.value.apply(a), column.value.apply(b), ascending));
        return sorted;
    }

    static <R> Column<R> find(List<Column<R>> columns, String key) {
        for (Column<R> c : columns) {
            if (c.key.equals(key)) {
                return c;
            }
        }
        throw new BadRequest("sort", "is '" + key + "'; this board sorts by "
                + String.join(", ", columns.stream().map(Column::key).toList()));
    }

    static boolean ascending(Column<?> column, String dir) {
        if (dir == null || dir.isBlank()) {
            return column.ascendingFirst;
        }
        return switch (dir) {
            case "asc" -> true;
            case "desc" -> false;
            default -> throw new BadRequest("dir", "is '" + dir + "'; use asc or desc");
        };
    }

    private static int compare(Object a, Object b, boolean ascending) {
        boolean aMissing = missing(a);
        boolean bMissing = missing(b);
        if (aMissing || bMissing) {
            return Boolean.compare(aMissing, bMissing);
        }
        int c;
        if (a instanceof Number x && b instanceof Number y) {
            c = Double.compare(x.doubleValue(), y.doubleValue());
        } else {
            c = Comparator.<String>naturalOrder().compare(a.toString().toLowerCase(Locale.ROOT),
                    b.toString().toLowerCase(Locale.ROOT));
        }
        return ascending ? c : -c;
    }

    private static boolean missing(Object v) {
        return v == null || (v instanceof Double d && d.isNaN());
    }
}
