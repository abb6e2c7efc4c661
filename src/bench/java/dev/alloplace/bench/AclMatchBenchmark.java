package dev.alloplace.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alloplace.acl.Acl;
import dev.alloplace.acl.AclDecision;
import dev.alloplace.acl.AclEffect;
import dev.alloplace.acl.AclSettings;
import dev.alloplace.acl.InteractionView;
import dev.alloplace.guard.CompiledGuard;
import dev.alloplace.guard.Guard;
import dev.alloplace.guard.GuardLimits;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * ACL decision throughput: a 20-rule list where no rule matches the typical interaction (the
 * worst ordinary case, every rule is tried), plus a single guard match for scale.
 * Rules × messages per second = 20 × the {@code aclOfTwentyRules} score.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AclMatchBenchmark {

    private Acl acl;
    private JsonNode changeComponents;
    private JsonNode announce;
    private CompiledGuard harry;

    @Setup
    public void setup() throws Exception {
        ObjectMapper json = new ObjectMapper();
        acl = new Acl(AclSettings.defaults());
        for (int i = 0; i < 18; i++) {
            acl.add(AclEffect.DENY, "[\"interaction\", _, _, \"place\", _, [\"custom_" + i + "\", Arg | _]] "
                    + "where is_map(Arg) and Arg[\"level\"] > " + i);
        }
        String harrySource = "[\"interaction\", \"request\", SourceEntity, \"place\", _, "
                + "[\"announce\", \"version\", _, \"identity\", Identity | _]] "
                + "where Identity[\"display_name\"] == \"harry\"";
        acl.add(AclEffect.DENY, harrySource);
        acl.add(AclEffect.DENY, "[\"interaction\", _, From, _, _, [Name | _]] "
                + "where Name in [\"acl_add\", \"acl_remove\"] and From != \"admin\"");
        changeComponents = InteractionView.of("request", "avatar-1", "place", "42", json.readTree(
                "[\"change_components\", \"e1\", \"add_or_change\", {\"transform\": {\"matrix\": "
                        + "[1,0,0,0,0,1,0,0,0,0,1,0,0,0,0,1]}}, \"remove\", []]"));
        announce = InteractionView.of("request", "", "place", "ANN0", json.readTree(
                "[\"announce\", \"version\", 4, \"identity\", {\"display_name\": \"annie\"}, "
                        + "\"spawn_avatar\", {\"children\": []}]"));
        harry = Guard.compile(harrySource, GuardLimits.defaults()).orElseThrow();
    }

    @Benchmark
    public boolean aclOfTwentyRules() {
        AclDecision d = acl.decide(changeComponents);
        return d.allowed();
    }

    @Benchmark
    public boolean aclOfTwentyRulesOnAnnounce() {
        return acl.decide(announce).allowed();
    }

    @Benchmark
    public boolean singleGuardMatch() {
        return harry.matches(announce);
    }
}
