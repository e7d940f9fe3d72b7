package org.brainfm.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;

/** Links of the site, encoded: a task id or query value may hold any character. */
final class Links {
    private Links() {}

    static String task(String taskId) {
        return "/tasks/" + segment(taskId);
    }

    static String entry(long entryId) {
        return "/entries/" + entryId;
    }

    static String taskCsv(String taskId) {
        return "/export/tasks/" + segment(taskId) + ".csv";
    }

    static String taskJson(String taskId) {
        return "/api/tasks/" + segment(taskId);
    }

    /** {@code path?k=v&...}, leaving out null values; the map's order is kept. */
    static String query(String path, Map<String, String> params) {
        StringJoiner q = new StringJoiner("&");
        params.forEach((k, v) -> {
            if (v != null) {
                q.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
            }
        });
        return q.length() == 0 ? path : path + "?" + q;
    }

    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
