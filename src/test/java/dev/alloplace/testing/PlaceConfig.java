package dev.alloplace.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How {@link TestPlaceExtension} makes the {@link TestPlace} it injects; on a test method it
 * replaces the one on the class.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface PlaceConfig {

    /** Settings as {@code key=value}, keys as in the YAML file ({@code place.heartbeat_hz=1}). */
    String[] value() default {};

    /** Server and clients on the in-memory network twin instead of ENet over loopback. */
    boolean inMemory() default false;

    /** The place loop on a {@link ManualClock} (injectable too) that the test steps. */
    boolean manualClock() default false;
}
