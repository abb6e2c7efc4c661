package dev.alloplace.loadgen;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.protocol.ProtocolJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.function.Function;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * Writes a run as {@code result.json} (snake_case throughout; a figure the run could not
 * measure is {@code null}) and PNG charts over the measured seconds, each titled with the run's
 * parameters so that a chart read on its own says what it shows.
 */
public final class ResultWriter {

    private ResultWriter() {
    }

    public static void write(LoadResult result, Path directory) throws IOException {
        Files.createDirectories(directory);
        var mapper = ProtocolJson.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode json = mapper.createObjectNode();
        LoadPlan plan = result.plan();
        ObjectNode planJson = json.putObject("plan");
        planJson.put("target", plan.targetText());
        planJson.put("admin", plan.admin() == null ? null : plan.admin().toString());
        planJson.put("agents", plan.agents());
        planJson.put("static_entities", plan.staticEntities());
        planJson.put("place_entities", plan.placeEntities());
        planJson.put("duration_seconds", plan.duration().toSeconds());
        planJson.put("intent_hz", plan.intentHz());
        planJson.put("interactions_per_second", plan.interactionsPerSecond());
        planJson.put("still", plan.still());
        planJson.put("interaction_warm_up_seconds", plan.interactionWarmUp().toSeconds());
        planJson.put("churn_per_minute", plan.churnPerMinute());
        planJson.put("protocol", plan.protocol());
        json.put("measured_seconds", result.measuredSeconds());
        put(json, "heartbeat_p50_ms", result.heartbeatP50Millis());
        put(json, "heartbeat_p99_ms", result.heartbeatP99Millis());
        json.put("heartbeats_measured", result.heartbeatsMeasured());
        put(json, "heartbeat_cpu_p50_ms", result.heartbeatCpuP50Millis());
        put(json, "heartbeat_cpu_p99_ms", result.heartbeatCpuP99Millis());
        put(json, "server_cpu_percent", result.serverCpuPercent());
        json.put("bytes_per_client_per_second", result.bytesPerClientPerSecond());
        put(json, "late_join_ms", result.lateJoinMillis());
        put(json, "interaction_p50_ms", result.interactionP50Millis());
        put(json, "interaction_p99_ms", result.interactionP99Millis());
        put(json, "diff_efficiency", result.diffEfficiency());
        json.put("disconnects", result.disconnectsSeen());
        json.put("errors", result.errors());
        json.put("stopped_early", result.stoppedEarly().orElse(null));
        ArrayNode samples = json.putArray("samples");
        for (Sample s : result.samples()) {
            ObjectNode row = samples.addObject();
            row.put("second", s.second());
            row.put("agents_connected", s.agentsConnected());
            row.put("diffs_per_second", s.diffsPerSecond());
            row.put("bytes_in_per_second", s.bytesInPerSecond());
            row.put("bytes_out_per_second", s.bytesOutPerSecond());
            put(row, "heartbeat_p50_ms", s.heartbeatP50Millis());
            put(row, "heartbeat_p99_ms", s.heartbeatP99Millis());
            row.put("interactions_answered", s.interactionsAnswered());
            put(row, "interaction_p50_ms", s.interactionP50Millis());
            put(row, "interaction_p99_ms", s.interactionP99Millis());
            put(row, "server_cpu_percent", s.serverCpuPercent());
        }
        Files.write(directory.resolve("result.json"), mapper.writeValueAsBytes(json));
        List<Sample> rows = result.samples();
        if (rows.isEmpty()) {
            return;
        }
        String about = parameters(plan);
        chart(directory.resolve("heartbeat.png"), "Server heartbeat, " + about, "ms", rows,
                List.of("p50", "p99"), List.of(Sample::heartbeatP50Millis, Sample::heartbeatP99Millis));
        chart(directory.resolve("bandwidth.png"), "Client bandwidth (all agents), " + about, "KB/s", rows,
                List.of("received", "sent"), List.of(s -> OptionalDouble.of(s.bytesInPerSecond() / 1024.0),
                        s -> OptionalDouble.of(s.bytesOutPerSecond() / 1024.0)));
        chart(directory.resolve("cpu.png"), "Server CPU, " + about, "% of all cores", rows,
                List.of("cpu"), List.of(Sample::serverCpuPercent));
        chart(directory.resolve("agents.png"), "Agents and diffs, " + about, "count", rows,
                List.of("agents connected", "diffs applied per second / 10"),
                List.of(s -> OptionalDouble.of(s.agentsConnected()), s -> OptionalDouble.of(s.diffsPerSecond() / 10.0)));
    }

    /** The run in a few words, for chart titles: "50 agents, 1000 static entities, 20 Hz intents, protocol 4, 60 s". */
    public static String parameters(LoadPlan plan) {
        List<String> parts = new ArrayList<>();
        parts.add(plan.agents() + (plan.agents() == 1 ? " agent" : " agents"));
        if (plan.staticEntities() > 0) {
            parts.add(plan.staticEntities() + " static entities");
        }
        if (plan.placeEntities() > 0) {
            parts.add(plan.placeEntities() + " place entities");
        }
        parts.add(plan.intentHz() + " Hz intents" + (plan.still() ? " (still)" : ""));
        if (plan.interactionsPerSecond() > 0) {
            parts.add(number(plan.interactionsPerSecond()) + " requests/s per agent");
        }
        if (plan.churnPerMinute() > 0) {
            parts.add(number(plan.churnPerMinute()) + " churn/min");
        }
        parts.add("protocol " + plan.protocol());
        parts.add(plan.duration().toSeconds() + " s");
        return String.join(", ", parts);
    }

    private static String number(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%.2f", d);
    }

    private static void put(ObjectNode json, String field, OptionalDouble value) {
        if (value.isPresent()) {
            json.put(field, value.getAsDouble());
        } else {
            json.putNull(field);
        }
    }

    /** One series per name; seconds without a value are left out of that series, not drawn as -1. */
    private static void chart(Path file, String title, String unit, List<Sample> samples, List<String> names,
            List<Function<Sample, OptionalDouble>> series) throws IOException {
        boolean any = false;
        XYChart chart = new XYChartBuilder().width(900).height(420).title(title).xAxisTitle("measured second")
                .yAxisTitle(unit).build();
        for (int i = 0; i < names.size(); i++) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (Sample s : samples) {
                OptionalDouble v = series.get(i).apply(s);
                if (v.isPresent()) {
                    x.add((double) s.second());
                    y.add(v.getAsDouble());
                }
            }
            if (!x.isEmpty()) {
                chart.addSeries(names.get(i), x, y);
                any = true;
            }
        }
        if (!any) {
            return; // nothing measured (no admin endpoint): no empty chart
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
