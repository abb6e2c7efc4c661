package dev.alloplace.inspector;

import dev.alloplace.admin.AdminResponse;
import dev.alloplace.admin.AdminRoute;
import dev.alloplace.admin.AdminServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;

/**
 * The web inspector: a static page, its script and style, and uPlot (from its webjar in our
 * jar, never from a CDN). The page holds no data; it reads the token-protected JSON API.
 */
public final class InspectorRoutes {

    private InspectorRoutes() {
    }

    public static void install(AdminServer admin) {
        String uplot = "/META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/";
        admin.publicRoute("/", file("/dev/alloplace/inspector/index.html", "text/html; charset=utf-8"));
        for (String script : new String[] {"inspector.js", "charts.js", "map.js"}) {
            admin.publicRoute("/inspector/" + script, file("/dev/alloplace/inspector/" + script, "text/javascript; charset=utf-8"));
        }
        admin.publicRoute("/inspector/inspector.css", file("/dev/alloplace/inspector/inspector.css", "text/css; charset=utf-8"));
        admin.publicRoute("/inspector/uplot.js", file(uplot + "uPlot.iife.min.js", "text/javascript; charset=utf-8"));
        admin.publicRoute("/inspector/uplot.css", file(uplot + "uPlot.min.css", "text/css; charset=utf-8"));
    }

    private static AdminRoute file(String resource, String contentType) {
        byte[] bytes;
        try (InputStream in = InspectorRoutes.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AdminResponse response = new AdminResponse(200, contentType, bytes);
        return request -> CompletableFuture.completedFuture(response);
    }

    private static String uplotVersion() {
        Properties properties = new Properties();
        try (InputStream in = InspectorRoutes.class.getResourceAsStream("/dev/alloplace/version.properties")) {
            properties.load(in);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("version.properties is missing from the build", e);
        }
        return properties.getProperty("uplot");
    }
}
