package dev.alloplace.client;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * An {@code alloplace://host[:port]} address, as visors, apps and the app gateway write it; the
 * port defaults to allonet's 21337.
 */
public record PlaceUrl(String host, int port) {

    public static final int DEFAULT_PORT = 21337;

    public static PlaceUrl parse(String text) {
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a place URL: " + text);
        }
        if (!"alloplace".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("a place URL looks like alloplace://host:port, not " + text);
        }
        return new PlaceUrl(uri.getHost(), uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort());
    }

    /** Resolves the host name (a DNS lookup for a name). */
    public InetSocketAddress resolve() {
        return new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return "alloplace://" + host + ":" + port;
    }
}
