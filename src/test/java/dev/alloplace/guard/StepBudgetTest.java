package dev.alloplace.guard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

/** A budget shared by several matches bounds their total and tells what they spent. */
class StepBudgetTest {

    private static CompiledGuard compile(String source) {
        return ((CompileResult.Compiled) Guard.compile(source, GuardLimits.defaults())).guard();
    }

    @Test
    void matchesSpendFromASharedBudgetUntilItIsGone() {
        CompiledGuard costly = compile("[A | T] where length(T) > 0 and A in T");
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        list.add("needle");
        for (int i = 0; i < 20_000; i++) {
            list.add(i);
        }
        StepBudget budget = new StepBudget(25_000);
        int tested = 0;
        while (!budget.exhausted() && tested < 100) {
            assertThat(costly.matches(list, HostEnvironment.NONE, budget)).isFalse();
            tested++;
        }
        assertThat(tested).as("each match stops at its own 10,000 steps; the budget after about 2.5 of them").isEqualTo(3);
        assertThat(budget.spent()).isEqualTo(25_000);
        assertThat(costly.matches(list, HostEnvironment.NONE, budget)).as("nothing left: no match, nothing spent").isFalse();
    }

    @Test
    void aCheapMatchCostsWhatItTookAndStillMatches() {
        CompiledGuard cheap = compile("[\"hello\", X] where X > 1");
        StepBudget budget = new StepBudget(1_000);
        ArrayNode body = JsonNodeFactory.instance.arrayNode().add("hello").add(2);
        assertThat(cheap.matches(body, HostEnvironment.NONE, budget)).isTrue();
        assertThat(budget.spent()).isBetween(1L, 50L);
        assertThat(cheap.matches(body)).as("the budget-free match agrees").isTrue();
    }
}
