package dev.alloplace.admin;

import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code /healthz} answers while the process serves HTTP at all; {@code /readyz} only while the
 * place accepts players: the UDP socket is bound and the place loop keeps up (its heartbeat on
 * time, its backlog within bounds).
 */
public final class HealthRoutes {

    private HealthRoutes() {
    }

    public static AdminRoute live() {
        return request -> CompletableFuture.completedFuture(AdminResponse.text(200, "ok\n"));
    }

    /** @param ready true while listening and the loop's last heartbeat is recent */
    public static AdminRoute ready(BooleanSupplier ready) {
        return ready(ready, () -> "not ready");
    }

    /**
     * @param ready true while the place loop keeps up
     * @param reason a few words on why not, sent as the 503 body
     */
    public static AdminRoute ready(BooleanSupplier ready, Supplier<String> reason) {
        return request -> CompletableFuture.completedFuture(ready.getAsBoolean()
                ? AdminResponse.text(200, "ready\n")
                : AdminResponse.text(503, "not ready: " + reason.get() + "\n"));
    }
}
