package dev.alloplace.apps;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The operator's list of app gateway URL prefixes: a URL an agent names is posted to only if it
 * lies under one of them. Matching is on the parsed URL (scheme, host, port, then the path on a
 * segment boundary), never on the text, so user info, dot segments, encoded slashes or a longer
 * port cannot smuggle a request elsewhere.
 */
final class AllowedGateways {

    static final int MAX_URL_LENGTH = 2048;

    private final List<URI> prefixes;

    AllowedGateways(List<URI> prefixes) {
        this.prefixes = List.copyOf(prefixes);
    }

    boolean none() {
        return prefixes.isEmpty();
    }

    /** The normalised URL to post to, if {@code url} is an allowed gateway URL. */
    Optional<URI> admit(String url) {
        if (url.length() > MAX_URL_LENGTH) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        if (!uri.isAbsolute() || uri.isOpaque() || uri.getHost() == null || uri.getRawUserInfo() != null
                || uri.getRawFragment() != null) {
            return Optional.empty();
        }
        String rawPath = uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String lowerPath = rawPath.toLowerCase(Locale.ROOT);
        if (lowerPath.contains("%2e") || lowerPath.contains("%2f") || lowerPath.contains("%5c") || rawPath.contains("\\")) {
            return Optional.empty();
        }
        URI normal = uri.normalize();
        String path = normal.getRawPath().isEmpty() ? "/" : normal.getRawPath();
        if (path.startsWith("/..") || path.contains("/../")) {
            return Optional.empty();
        }
        for (URI prefix : prefixes) {
            if (sameOrigin(prefix, normal) && underPath(prefix.getRawPath(), path)) {
                return Optional.of(normal);
            }
        }
        return Optional.empty();
    }

    private static boolean sameOrigin(URI prefix, URI uri) {
        return prefix.getScheme().equalsIgnoreCase(uri.getScheme())
                && prefix.getHost().equalsIgnoreCase(uri.getHost())
                && port(prefix) == port(uri);
    }

    private static boolean underPath(String prefixPath, String path) {
        if (prefixPath.endsWith("/")) {
            return path.startsWith(prefixPath);
        }
        return path.equals(prefixPath) || path.startsWith(prefixPath + "/");
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
