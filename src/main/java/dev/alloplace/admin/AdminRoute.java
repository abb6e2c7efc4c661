package dev.alloplace.admin;

import java.util.concurrent.CompletableFuture;

/**
 * Answers requests for one path. Routes that need world state post a task to the place thread
 * and complete the future from there, so the HTTP thread never touches the world.
 */
@FunctionalInterface
public interface AdminRoute {
    CompletableFuture<AdminResponse> handle(AdminRequest request);
}
