package dev.alloplace.guard;

import java.util.List;

/**
 * One source in our guard language and the same guard in Elixir's syntax, with the JSON texts of
 * the values to match. Each value is one case of the differential test.
 *
 * @param origin where the case comes from, for the report ("cases.txt:42", "random #17", "table +")
 * @param ours the source our compiler gets
 * @param mode how Elixir runs it (a real guard, or ordinary code for our extensions)
 * @param elixirPattern the pattern in Elixir's syntax
 * @param elixirGuard the guard in Elixir's syntax, or null when there is none
 * @param values the JSON texts, each parsed on both sides
 */
record DifferentialCase(String origin, String ours, ElixirOracle.Mode mode, String elixirPattern,
        String elixirGuard, List<String> values) {

    DifferentialCase {
        values = List.copyOf(values);
    }

    ElixirOracle.Query query() {
        return new ElixirOracle.Query(mode, elixirPattern, elixirGuard, values);
    }

    String elixirText() {
        String text = elixirPattern + (elixirGuard == null ? "" : " when " + elixirGuard);
        return mode == ElixirOracle.Mode.CODE ? "(as code) " + text : text;
    }
}
