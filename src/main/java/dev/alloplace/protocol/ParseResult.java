package dev.alloplace.protocol;

import java.util.function.Function;

/** A decoded value or the reason it could not be decoded; decoders never throw on bad input. */
public sealed interface ParseResult<T> {

    record Success<T>(T value) implements ParseResult<T> {
    }

    record Failure<T>(String reason) implements ParseResult<T> {
    }

    static <T> ParseResult<T> success(T value) {
        return new Success<>(value);
    }

    static <T> ParseResult<T> failure(String reason) {
        return new Failure<>(reason);
    }

    default <R> ParseResult<R> map(Function<T, R> mapper) {
        if (this instanceof Success<T> success) {
            return new Success<>(mapper.apply(success.value()));
        }
        return new Failure<>(((Failure<T>) this).reason());
    }
}
