package dev.alloplace.admin;

import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * {@code /healthz} answers while the process serves HTTP at all; {@code /readyz} only while the
 * place accepts players: the UDP socket is bound and the place loop keeps ticking.
 */
public final class HealthRoutes {

    private HealthRoutes() {
    }

    public static AdminRoute live() {
        return request -> CompletableFuture.completedFuture(AdminResponse.text(200, "ok\n"));
    }

    /** @param ready true while listening and the loop's last heartbeat is recent */
    public static AdminRoute ready(BooleanSupplier ready) {
        return request -> CompletableFuture.completedFuture(ready.getAsBoolean()
                ? AdminResponse.text(200, "ready\n")
                : AdminResponse.text(503, "not ready\n"));
    }
}
