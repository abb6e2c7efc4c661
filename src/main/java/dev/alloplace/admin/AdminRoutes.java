package dev.alloplace.admin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The admin endpoint's route table: a method and a path template such as
 * {@code /api/agents/{id}/kick}, where a {@code {name}} segment matches any one path segment.
 * A path no template matches is not found (404); a path that matches only with other methods
 * answers 405 with those methods. {@code HEAD} is served by the {@code GET} route.
 */
final class AdminRoutes {

    private record Entry(String method, List<String> template, AdminRoute route, boolean isPublic) {
    }

    /** What a request's method and path lead to. */
    sealed interface Match permits Found, WrongMethod, NotFound {
    }

    record Found(AdminRoute route, Map<String, String> pathParams) implements Match {
    }

    record WrongMethod(Set<String> allowed) implements Match {
    }

    record NotFound() implements Match {
    }

    private final List<Entry> entries = new ArrayList<>();

    void add(String method, String template, AdminRoute route, boolean isPublic) {
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("a route's path starts with /: " + template);
        }
        List<String> segments = segments(template);
        for (Entry e : entries) {
            if (e.method().equals(method) && e.template().equals(segments)) {
                throw new IllegalArgumentException("route " + method + " " + template + " is already taken");
            }
        }
        entries.add(new Entry(method, segments, route, isPublic));
    }

    /** Whether the path belongs to a route anyone may use without the token (probes, static files). */
    boolean isPublic(List<String> path) {
        return entries.stream().anyMatch(e -> e.isPublic() && bind(e.template(), path) != null);
    }

    Match match(String method, List<String> path) {
        String lookup = "HEAD".equals(method) ? "GET" : method;
        Set<String> allowed = new TreeSet<>();
        for (Entry e : entries) {
            Map<String, String> params = bind(e.template(), path);
            if (params == null) {
                continue;
            }
            if (e.method().equals(lookup)) {
                return new Found(e.route(), params);
            }
            allowed.add(e.method());
            if ("GET".equals(e.method())) {
                allowed.add("HEAD");
            }
        }
        return allowed.isEmpty() ? new NotFound() : new WrongMethod(allowed);
    }

    /** The template's {@code {name}} values for this path, or null when it does not match. */
    private static Map<String, String> bind(List<String> template, List<String> path) {
        if (template.size() != path.size()) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < template.size(); i++) {
            String t = template.get(i);
            String p = path.get(i);
            if (t.startsWith("{") && t.endsWith("}")) {
                if (p.isEmpty()) {
                    return null;
                }
                params.put(t.substring(1, t.length() - 1), p);
            } else if (!t.equals(p)) {
                return null;
            }
        }
        return params;
    }

    /** "/" is no segment; "/a/b" is [a, b]; "/a/" is [a, ""] (a trailing slash is a different path). */
    static List<String> segments(String path) {
        if (path.equals("/")) {
            return List.of();
        }
        return List.of(path.substring(1).split("/", -1));
    }
}
