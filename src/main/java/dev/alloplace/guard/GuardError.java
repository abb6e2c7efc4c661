package dev.alloplace.guard;

/**
 * Why a guard source was rejected, and where: line and column are 1-based and point at the
 * offending character, so an operator can fix a rule without guessing.
 */
public record GuardError(String message, int line, int column) {

    @Override
    public String toString() {
        return "line " + line + ", column " + column + ": " + message;
    }
}
