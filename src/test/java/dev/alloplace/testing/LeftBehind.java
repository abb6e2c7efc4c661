package dev.alloplace.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fails a test class that leaves files or directories in the temporary directory: what a test
 * creates there it deletes ({@code @TempDir}, {@link TestPlace#close()}). Registered for every
 * test class (META-INF/services, with extension autodetection on).
 *
 * <p>The build gives the tests a temporary directory of their own (system property
 * {@value #OWN_TMP_PROPERTY}, the same as {@code java.io.tmpdir}), so everything new in it is
 * theirs. Run elsewhere, with the shared temporary directory, it only looks at names starting
 * with {@code alloplace} and warns, since other programs write there too.
 */
public final class LeftBehind implements BeforeAllCallback, AfterAllCallback {

    /** Set by the build to the directory it gave as {@code java.io.tmpdir}. */
    static final String OWN_TMP_PROPERTY = "alloplace.testTmp";
    private static final Logger log = LoggerFactory.getLogger(LeftBehind.class);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LeftBehind.class);
    /** What test tools put there for the JVM's lifetime and delete at its exit (Jazzer's and Byte Buddy's agents). */
    private static final List<String> DELETED_AT_EXIT = List.of("jazzer-agent-", "byteBuddyAgent", "rules_jni.");

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NAMESPACE).put(Set.class, entries());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        @SuppressWarnings("unchecked")
        Set<String> before = context.getStore(NAMESPACE).get(Set.class, Set.class);
        Set<String> left = entries();
        left.removeAll(before);
        if (left.isEmpty()) {
            return;
        }
        String message = context.getRequiredTestClass().getSimpleName() + " left behind in " + tmp() + ": " + left;
        if (ownTmp()) {
            throw new AssertionError(message);
        }
        log.warn(message);
    }

    private static boolean ownTmp() {
        String own = System.getProperty(OWN_TMP_PROPERTY);
        return own != null && Path.of(own).toAbsolutePath().equals(tmp());
    }

    private static Path tmp() {
        return Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
    }

    private static Set<String> entries() {
        Path tmp = tmp();
        boolean own = ownTmp();
        try {
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Stream<Path> list = Files.list(tmp)) {
            Set<String> names = new TreeSet<>();
            list.map(path -> path.getFileName().toString()).filter(name -> own || name.startsWith("alloplace"))
                    .filter(name -> DELETED_AT_EXIT.stream().noneMatch(name::startsWith))
                    .forEach(names::add);
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
