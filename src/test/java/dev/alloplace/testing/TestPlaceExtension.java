package dev.alloplace.testing;

import java.lang.reflect.AnnotatedElement;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test method (and its {@code @BeforeEach} methods) a started {@link TestPlace}, made
 * as its {@link PlaceConfig} says, and the {@link ManualClock} it runs on if it has one; the
 * place is closed after the test, its data directory deleted. One place per test:
 *
 * <pre>{@code
 * @ExtendWith(TestPlaceExtension.class)
 * class LobbyTest {
 *     @Test
 *     @PlaceConfig({"place.heartbeat_hz=1"})
 *     void aVisorSeesTheClock(TestPlace place) throws Exception { ... }
 * }
 * }</pre>
 */
public final class TestPlaceExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TestPlaceExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return context.getTestMethod().isPresent() && (type == TestPlace.class || type == ManualClock.class);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Started started = context.getStore(NAMESPACE).getOrComputeIfAbsent(Started.class, key -> start(context),
                Started.class);
        if (parameter.getParameter().getType() == TestPlace.class) {
            return started.place();
        }
        return started.place().clock().orElseThrow(() -> new ParameterResolutionException(
                "a ManualClock needs @PlaceConfig(manualClock = true)"));
    }

    private static Started start(ExtensionContext context) {
        PlaceConfig config = find(context.getRequiredTestMethod()).or(() -> find(context.getRequiredTestClass()))
                .orElse(null);
        TestPlace.Builder builder = TestPlace.builder();
        if (config != null) {
            for (String setting : config.value()) {
                int equals = setting.indexOf('=');
                if (equals < 1) {
                    throw new ParameterResolutionException("a @PlaceConfig setting is key=value: " + setting);
                }
                builder.set(setting.substring(0, equals).trim(), setting.substring(equals + 1).trim());
            }
            if (config.inMemory()) {
                builder.inMemory();
            }
            if (config.manualClock()) {
                builder.clock(new ManualClock());
            }
        }
        try {
            return new Started(builder.start());
        } catch (Exception e) {
            throw new ParameterResolutionException("the test place did not start: " + e.getMessage(), e);
        }
    }

    private static Optional<PlaceConfig> find(AnnotatedElement element) {
        return Optional.ofNullable(element.getAnnotation(PlaceConfig.class));
    }

    /** Closed by JUnit when the test's context closes, after {@code @AfterEach}. */
    private record Started(TestPlace place) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            place.close();
        }
    }
}
