package dev.alloplace.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command lines that start a small JVM on this test run's classes (how gateway tests give an
 * app catalog real programs that work on a clean clone), and a way to find those processes
 * again by a marker on their command line.
 */
public final class ChildJava {

    private ChildJava() {
    }

    public static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The class path of this test JVM (surefire's own when it set one). */
    public static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    /** {@code java ... mainClass args}, small and quick to start, tagged with {@code marker}. */
    public static List<String> command(String marker, String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx64m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Dalloplace.test.marker=" + marker, "-cp", classPath(), mainClass));
        command.addAll(List.of(args));
        return command;
    }

    /** This JVM's descendants whose command line carries {@code marker}. */
    public static List<ProcessHandle> running(String marker) {
        return ProcessHandle.current().descendants()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().map(line -> line.contains(marker)).orElse(false))
                .toList();
    }
}
