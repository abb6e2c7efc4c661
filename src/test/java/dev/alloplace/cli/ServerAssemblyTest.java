package dev.alloplace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alloplace.config.Config;
import dev.alloplace.config.ConfigLoader;
import dev.alloplace.persist.DataDirLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What the daemon checks and holds around starting a server: admin token, data directory lock. */
@Timeout(60)
class ServerAssemblyTest {

    @TempDir
    Path dir;

    private Config config(Path dataDir, Map<String, String> more) throws Exception {
        Map<String, String> flags = new java.util.HashMap<>(Map.of("server.bind", "127.0.0.1", "server.port", "0",
                "admin.port", "0", "data_dir", dataDir.toString()));
        flags.putAll(more);
        return ConfigLoader.load(flags, Map.of(), null);
    }

    @Test
    void aSecondServerOnTheSameDataDirectoryStopsNamingTheFirst() throws Exception {
        Path data = dir.resolve("data");
        RunningServer first = ServerAssembly.start(config(data, Map.of()));
        try {
            assertThatThrownBy(() -> ServerAssembly.start(config(data, Map.of())))
                    .isInstanceOfSatisfying(StartupException.class, e -> assertThat(e.usageError()).isTrue())
                    .hasMessageContaining("in use by another alloplace server")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid());
            assertThat(Files.readString(data.resolve(DataDirLock.FILE_NAME)))
                    .startsWith("pid " + ProcessHandle.current().pid() + " on ");
        } finally {
            first.stop(Duration.ZERO);
        }
        RunningServer next = ServerAssembly.start(config(data, Map.of()));
        next.stop(Duration.ZERO);
    }

    @Test
    void aMissingAdminTokenIsFoundBeforeAnythingIsCreated() throws Exception {
        Path data = dir.resolve("never-created");
        assertThatThrownBy(() -> ServerAssembly.start(config(data, Map.of("admin.bind", "0.0.0.0"))))
                .isInstanceOfSatisfying(StartupException.class, e -> assertThat(e.usageError()).isTrue())
                .hasMessageContaining("admin.token");
        assertThat(data).doesNotExist();
    }
}
