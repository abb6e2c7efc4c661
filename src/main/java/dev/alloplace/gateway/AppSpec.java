package dev.alloplace.gateway;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One app the gateway may start: its command as an argument vector (no shell ever parses it),
 * where it runs, what it gets in its environment besides the launch, and its limits.
 *
 * @param maxRunTime how long one process may run; {@link Duration#ZERO} for no limit
 */
public record AppSpec(String name, List<String> command, Optional<Path> workingDirectory,
        Map<String, String> environment, int maxInstances, Duration maxRunTime) {

    public AppSpec {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
    }
}
