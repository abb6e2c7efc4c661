package dev.alloplace.place;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The place's extensions, called in order. An extension that throws is logged with what it was
 * doing and about whom, and the place goes on: no feature can stop the loop.
 */
final class Extensions {

    private static final Logger log = LoggerFactory.getLogger(Extensions.class);

    private final List<PlaceExtension> all;

    Extensions(List<PlaceExtension> extensions) {
        this.all = List.copyOf(extensions);
    }

    List<PlaceExtension> all() {
        return all;
    }

    /** Calls every extension; {@code doing} and {@code about} name the call in the log if one fails. */
    void each(String doing, Object about, Consumer<PlaceExtension> call) {
        for (PlaceExtension extension : all) {
            try {
                call.accept(extension);
            } catch (RuntimeException e) {
                failed(extension, doing, about, e);
            }
        }
    }

    /**
     * Asks each extension in turn until one answers true; true if one did. An extension that
     * throws ends the asking with {@code onFailure}.
     */
    boolean first(String doing, Object about, Predicate<PlaceExtension> call, boolean onFailure) {
        for (PlaceExtension extension : all) {
            try {
                if (call.test(extension)) {
                    return true;
                }
            } catch (RuntimeException e) {
                failed(extension, doing, about, e);
                return onFailure;
            }
        }
        return false;
    }

    private static void failed(PlaceExtension extension, String doing, Object about, RuntimeException e) {
        log.error("{} failed {} {}", extension.getClass().getSimpleName(), doing, about, e);
    }
}
