package dev.alloplace.gateway;

import dev.alloplace.config.Setting;
import dev.alloplace.config.SettingType;
import dev.alloplace.config.Settings;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The catalog of the app gateway's settings ({@code alloplace gateway}): resolved like the
 * place's (flags, then {@code ALLOPLACE_GATEWAY_*} variables, then the YAML file named by
 * {@code --config} or {@code ALLOPLACE_GATEWAY_CONFIG}, then defaults) by the same loader.
 */
public final class GatewaySettings {

    private GatewaySettings() {
    }

    public static final Setting<InetAddress> BIND = new Setting<>(
            "gateway.bind", "ALLOPLACE_GATEWAY_BIND", Optional.of("bind"), new SettingType.Address(), "127.0.0.1",
            "Address the gateway's HTTP server binds to; anything but loopback needs gateway.token.");
    public static final Setting<Integer> PORT = new Setting<>(
            "gateway.port", "ALLOPLACE_GATEWAY_PORT", Optional.of("port"), new SettingType.IntRange(0, 65535), "21339",
            "TCP port of the gateway's HTTP server; 0 picks a free port.");
    public static final Setting<String> TOKEN = new Setting<>(
            "gateway.token", "ALLOPLACE_GATEWAY_TOKEN", Optional.empty(), new SettingType.Text(512, true), "",
            "Bearer token every request but the health probes must carry (the place's place.launch_gateway_token).");
    public static final Setting<List<String>> ALLOWED_HOSTS = new Setting<>(
            "gateway.allowed_hosts", "ALLOPLACE_GATEWAY_ALLOWED_HOSTS", Optional.empty(), new SettingType.HostNames(32), "",
            "Host names the gateway answers to besides the address a request arrives on (e.g. its name on a compose "
                    + "network); other Host headers are refused, against DNS rebinding.");
    public static final Setting<Path> APPS_FILE = new Setting<>(
            "gateway.apps_file", "ALLOPLACE_GATEWAY_APPS_FILE", Optional.of("apps"), new SettingType.FilePath(), "apps.yaml",
            "YAML catalog of the apps the gateway may start (name, command, working directory, environment, limits).");
    public static final Setting<Integer> MAX_PROCESSES = new Setting<>(
            "gateway.max_processes", "ALLOPLACE_GATEWAY_MAX_PROCESSES", Optional.empty(), new SettingType.IntRange(1, 4096),
            "16", "App processes running at once, all apps together; further launches get 503.");
    public static final Setting<Integer> MAX_PROCESSES_PER_APP = new Setting<>(
            "gateway.max_processes_per_app", "ALLOPLACE_GATEWAY_MAX_PROCESSES_PER_APP", Optional.empty(),
            new SettingType.IntRange(1, 4096), "4", "Processes of one app at once, unless the app sets max_instances.");
    public static final Setting<Long> MAX_RUN_SECONDS = new Setting<>(
            "gateway.max_run_seconds", "ALLOPLACE_GATEWAY_MAX_RUN_SECONDS", Optional.empty(),
            new SettingType.LongRange(0, 31_536_000), "86400",
            "Longest an app process may run before it is stopped, unless the app sets max_run_seconds; 0 for no limit.");
    public static final Setting<Integer> START_CHECK_MS = new Setting<>(
            "gateway.start_check_ms", "ALLOPLACE_GATEWAY_START_CHECK_MS", Optional.empty(), new SettingType.IntRange(0, 4000),
            "500", "How long a new process must keep running before the launch is answered 200; one that exits sooner is an error.");
    public static final Setting<Integer> SHUTDOWN_GRACE_MS = new Setting<>(
            "gateway.shutdown_grace_ms", "ALLOPLACE_GATEWAY_SHUTDOWN_GRACE_MS", Optional.empty(),
            new SettingType.IntRange(0, 60_000), "3000",
            "On gateway shutdown (and at an app's maximum run time), how long a process has after SIGTERM before it is killed.");
    public static final Setting<Integer> MAX_REQUEST_BYTES = new Setting<>(
            "gateway.max_request_bytes", "ALLOPLACE_GATEWAY_MAX_REQUEST_BYTES", Optional.empty(),
            new SettingType.IntRange(1024, 1_048_576), "65536",
            "Largest launch request body, counted as it arrives; a longer one gets 413.");
    public static final Setting<Integer> MAX_LOG_LINE_BYTES = new Setting<>(
            "gateway.max_log_line_bytes", "ALLOPLACE_GATEWAY_MAX_LOG_LINE_BYTES", Optional.empty(),
            new SettingType.IntRange(80, 1_048_576), "8192",
            "Longest line of an app's output logged as one line; longer lines are split.");

    /** Every gateway setting, in documentation order (logging is shared with the place). */
    public static final List<Setting<?>> ALL = List.of(
            BIND, PORT, TOKEN, ALLOWED_HOSTS, APPS_FILE, MAX_PROCESSES, MAX_PROCESSES_PER_APP, MAX_RUN_SECONDS, START_CHECK_MS,
            SHUTDOWN_GRACE_MS, MAX_REQUEST_BYTES, MAX_LOG_LINE_BYTES, Settings.LOG_FORMAT, Settings.LOG_LEVEL);

    /** The environment variable naming the gateway's YAML config file (the {@code --config} flag wins). */
    public static final String CONFIG_FILE_ENV = "ALLOPLACE_GATEWAY_CONFIG";
}
