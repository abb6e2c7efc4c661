package dev.alloplace.guard;

import java.util.List;

/**
 * Compiles the place's guard language: an Elixir match pattern over JSON values, then optional
 * guards after {@code where} (the protocol reference's word) or {@code when} (Elixir's), meaning
 * what Elixir's {@code match?/2} means (docs/protocol-extensions.md lists the extensions and the
 * limits). Subscriptions and ACL rules arrive as text from untrusted agents, so compiling is
 * total: every input yields either a {@link CompiledGuard} or a {@link GuardError} with line and
 * column.
 */
public final class Guard {

    private Guard() {
    }

    public static CompileResult compile(String source, GuardLimits limits) {
        return compile(source, limits, HostFunctions.none());
    }

    public static CompileResult compile(String source, GuardLimits limits, HostFunctions hostFunctions) {
        if (source == null) {
            return new CompileResult.Failed(new GuardError("no source", 1, 1));
        }
        if (source.length() > limits.maxSourceLength()) {
            return new CompileResult.Failed(new GuardError("source is " + source.length()
                    + " characters, more than the limit of " + limits.maxSourceLength(), 1, 1));
        }
        try {
            List<Token> tokens = Lexer.tokenize(source);
            Parser.Parsed parsed = Parser.parse(tokens, limits, hostFunctions);
            return new CompileResult.Compiled(new CompiledGuard(source, parsed.pattern(), parsed.guards(),
                    parsed.variables(), limits));
        } catch (GuardSyntaxException e) {
            return new CompileResult.Failed(e.error());
        }
    }
}
