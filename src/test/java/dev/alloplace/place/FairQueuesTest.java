package dev.alloplace.place;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alloplace.protocol.ChannelLayout;
import dev.alloplace.transport.ConnectionId;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the place thread is shared: turns, budgets, debts and backlog bounds, without a network. */
class FairQueuesTest {

    private final List<String> handled = new ArrayList<>();
    private final List<String> overloaded = new ArrayList<>();
    private final List<String> drained = new ArrayList<>();
    private long extraCharge;
    private String holdAfter;
    private FairQueues queues;

    private FairQueues queues(FairShare share) {
        queues = new FairQueues(share, new FairQueues.Handler() {
            @Override
            public void handle(Agent agent, LoopEvent.Received message) {
                handled.add(agent.id() + ":" + new String(message.payload(), java.nio.charset.StandardCharsets.ISO_8859_1).strip());
                if (extraCharge > 0) {
                    queues.charge(agent, extraCharge);
                }
                if (new String(message.payload(), java.nio.charset.StandardCharsets.ISO_8859_1).equals(holdAfter)) {
                    queues.hold(agent);
                }
            }

            @Override
            public void drained(Agent agent) {
                drained.add(agent.id());
            }

            @Override
            public void overloaded(Agent agent, String why) {
                overloaded.add(agent.id() + ": " + why);
                agent.leaving(true);
                queues.drop(agent);
            }
        });
        return queues;
    }

    private Agent agent(String id) {
        return new Agent(id, new ConnectionId(id.hashCode()), new InetSocketAddress("127.0.0.1", 1), ChannelLayout.V4, 0,
                queues.newQueue());
    }

    private static LoopEvent.Received message(String text) {
        return new LoopEvent.Received(new ConnectionId(0), 1, text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    @Test
    void aFloodWaitsInItsOwnQueueWhileOthersGetTheirTurn() {
        queues(new FairShare(4, 1000, 1_000_000, 1 << 20, 10_000, 1 << 20, Duration.ofSeconds(2), 1 << 30));
        Agent flooder = agent("flooder");
        Agent calm = agent("calm");
        for (int i = 0; i < 100; i++) {
            queues.add(flooder, message("f" + i));
        }
        queues.add(calm, message("c0"));

        queues.round(() -> false);

        assertThat(handled).containsExactly("flooder:f0", "flooder:f1", "flooder:f2", "flooder:f3", "calm:c0");
        assertThat(queues.messages()).isEqualTo(96);
    }

    @Test
    void aHeldQueueKeepsItsMessagesInOrderUntilReleasedWhileOthersGoOn() {
        queues(new FairShare(100, 1000, 1_000_000, 1 << 20, 10_000, 1 << 20, Duration.ofSeconds(2), 1 << 30));
        holdAfter = "announce"; // its signature is checked elsewhere meanwhile
        Agent held = agent("held");
        Agent free = agent("free");
        queues.add(held, message("announce"));
        queues.add(held, message("spawn"));
        queues.add(free, message("f0"));

        while (queues.round(() -> false) > 0) {
            // every turn there is
        }
        queues.heartbeat(0, List.of(held, free));
        queues.add(free, message("f1"));
        queues.add(held, message("change"));
        while (queues.round(() -> false) > 0) {
            // again: the held queue still waits, through a heartbeat too
        }
        assertThat(handled).containsExactly("held:announce", "free:f0", "free:f1");

        queues.release(held);
        queues.round(() -> false);
        assertThat(handled).containsExactly("held:announce", "free:f0", "free:f1", "held:spawn", "held:change");
    }

    @Test
    void whileOthersWaitAnAgentSpendsItsBudgetAndPaysItsDebtsFirst() {
        queues(new FairShare(100, 10, 1_000_000, 1 << 20, 10_000, 1 << 20, Duration.ofSeconds(2), 1 << 30));
        Agent app = agent("app");
        Agent calm = agent("calm");
        for (int i = 0; i < 30; i++) {
            queues.add(app, message("m" + i));
        }
        queues.add(calm, message("c0"));
        queues.round(() -> false);
        assertThat(handled).as("a heartbeat's budget, then the other agent within its own, then the spare time")
                .startsWith("app:m0", "app:m1").contains("calm:c0").hasSize(31);
        assertThat(handled.indexOf("calm:c0")).isEqualTo(10);

        extraCharge = 25;
        queues.heartbeat(0, List.of(app, calm));
        queues.add(app, message("costly"));
        queues.round(() -> false);
        extraCharge = 0;
        queues.heartbeat(0, List.of(app, calm));
        queues.add(app, message("after"));
        queues.add(calm, message("c1"));
        queues.round(() -> false);
        assertThat(handled).as("16 units owed, 6 after a new budget of 10: the agent within its budget goes first")
                .endsWith("app:costly", "calm:c1", "app:after");
    }

    @Test
    void aloneAnAgentGetsTheTimeNobodyElseWantsAndOwesNothingForIt() {
        queues(new FairShare(100, 10, 1_000_000, 1 << 20, 10_000, 1 << 20, Duration.ofSeconds(2), 1 << 30));
        Agent builder = agent("builder");
        Agent late = agent("late");
        for (int i = 0; i < 1000; i++) {
            queues.add(builder, message("spawn" + i));
        }
        while (queues.round(() -> false) > 0) {
            // as many turns as there is work
        }
        assertThat(handled).as("a hundred heartbeats' budget in one go").hasSize(1000);

        queues.heartbeat(0, List.of(builder, late));
        for (int i = 0; i < 10; i++) {
            queues.add(builder, message("more" + i));
        }
        queues.add(late, message("hello"));
        queues.round(() -> false);
        assertThat(handled).as("owing nothing, it has a whole budget at the next heartbeat: ahead of a newcomer in the ring")
                .hasSize(1011).endsWith("builder:more9", "late:hello");
    }

    @Test
    void spareTimeIsBoundedPerHeartbeatAndNoneMakesTheBudgetAHardCap() {
        queues(new FairShare(100, 10, 50, 1 << 20, 10_000, 1 << 20, Duration.ofSeconds(2), 1 << 30));
        Agent builder = agent("builder");
        for (int i = 0; i < 100; i++) {
            queues.add(builder, message("spawn" + i));
        }
        while (queues.round(() -> false) > 0) {
            // as many turns as it may have
        }
        assertThat(handled).as("its budget of 10 and 50 spare units").hasSize(60);
        queues.heartbeat(0, List.of(builder));
        while (queues.round(() -> false) > 0) {
            // again
        }
        assertThat(handled).as("a new heartbeat, as much again").hasSize(100);

        handled.clear();
        queues(new FairShare(100, 10, 0, 1 << 20, 10_000, 1 << 20, Duration.ofSeconds(2), 1 << 30));
        Agent capped = agent("capped");
        for (int i = 0; i < 30; i++) {
            queues.add(capped, message("m" + i));
        }
        while (queues.round(() -> false) > 0) {
            // every turn there is
        }
        assertThat(handled).as("without spare time, a heartbeat's budget only").hasSize(10);
    }

    @Test
    void anAgentThatOwesTheWriteRateWaitsEvenAlone() {
        queues(new FairShare(100, 1000, 1_000_000, 1 << 20, 10_000, 1 << 20, Duration.ofSeconds(2), 1 << 30));
        Agent writer = agent("writer");
        queues.add(writer, message("w0"));
        queues.add(writer, message("w1"));
        writer.queue().writeDebt = 100;
        queues.schedule(writer);
        assertThat(queues.round(() -> false)).isZero();
        writer.queue().writeDebt = 0;
        queues.heartbeat(0, List.of(writer));
        assertThat(queues.round(() -> false)).isEqualTo(2);
    }

    @Test
    void aTurnStopsWhenTheHeartbeatIsDueButAlwaysTakesOneSlice() {
        queues(new FairShare(1, 1000, 1_000_000, 1 << 20, 10_000, 1 << 20, Duration.ofSeconds(2), 1 << 30));
        Agent a = agent("a");
        Agent b = agent("b");
        Agent c = agent("c");
        queues.add(a, message("a0"));
        queues.add(b, message("b0"));
        queues.add(c, message("c0"));
        queues.round(() -> true);
        assertThat(handled).as("heartbeats overrunning their period still leave one slice a turn").containsExactly("a:a0");
        queues.round(() -> true);
        assertThat(handled).as("the next turn goes on with the next agent").containsExactly("a:a0", "b:b0");
        queues.round(() -> false);
        assertThat(handled).containsExactly("a:a0", "b:b0", "c:c0");
    }

    @Test
    void aBacklogOverItsBoundPastTheGraceOrTwiceItAtOnceGetsItsAgentDisconnected() {
        queues(new FairShare(1, 1, 1_000_000, 1 << 20, 10, 1 << 20, Duration.ofMillis(100), 1 << 30));
        Agent slow = agent("slow");
        Agent greedy = agent("greedy");
        for (int i = 0; i < 15; i++) {
            queues.add(slow, message("s" + i));
        }
        queues.heartbeat(0, List.of(slow, greedy));
        queues.heartbeat(50_000_000L, List.of(slow, greedy));
        assertThat(overloaded).as("over the bound, within the grace").isEmpty();
        queues.heartbeat(100_000_000L, List.of(slow, greedy));
        assertThat(overloaded).singleElement().asString().startsWith("slow: kept 15 messages");

        for (int i = 0; i < 21; i++) {
            queues.add(greedy, message("g" + i));
        }
        assertThat(overloaded).hasSize(2).last().asString().startsWith("greedy: kept 21 messages").contains("twice");
        assertThat(queues.messages()).isZero();
    }

    @Test
    void aClosedConnectionLeavesOnceWhatItSentIsHandled() {
        queues(new FairShare(1, 1000, 1_000_000, 1 << 20, 10_000, 1 << 20, Duration.ofSeconds(2), 1 << 30));
        Agent leaving = agent("leaving");
        queues.add(leaving, message("last words"));
        queues.add(leaving, message("goodbye"));
        queues.close(leaving);
        assertThat(drained).isEmpty();
        queues.round(() -> false);
        queues.round(() -> false);
        assertThat(handled).containsExactly("leaving:last words", "leaving:goodbye");
        assertThat(drained).containsExactly("leaving");
    }
}
