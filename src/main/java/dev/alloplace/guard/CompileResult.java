package dev.alloplace.guard;

/** The outcome of compiling a guard source: a ready guard, or an error naming line and column. */
public sealed interface CompileResult permits CompileResult.Compiled, CompileResult.Failed {

    /** The guard, or a {@link GuardSyntaxException} carrying the error. */
    CompiledGuard orElseThrow();

    record Compiled(CompiledGuard guard) implements CompileResult {
        @Override
        public CompiledGuard orElseThrow() {
            return guard;
        }
    }

    record Failed(GuardError error) implements CompileResult {
        @Override
        public CompiledGuard orElseThrow() {
            throw new GuardSyntaxException(error);
        }
    }
}
