package dev.alloplace.loadgen;

import com.fasterxml.jackson.databind.SerializationFeature;
import dev.alloplace.protocol.ProtocolJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/** Writes a run as {@code result.json} and PNG charts over time. */
public final class ResultWriter {

    private ResultWriter() {
    }

    public static void write(LoadResult result, Path directory) throws IOException {
        Files.createDirectories(directory);
        var mapper = ProtocolJson.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT);
        var json = mapper.createObjectNode();
        LoadPlan plan = result.plan();
        var planJson = json.putObject("plan");
        planJson.put("target", plan.target().toString());
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
        json.put("heartbeat_p50_ms", result.heartbeatP50Millis());
        json.put("heartbeat_p99_ms", result.heartbeatP99Millis());
        json.put("heartbeat_cpu_p50_ms", result.heartbeatCpuP50Millis());
        json.put("heartbeat_cpu_p99_ms", result.heartbeatCpuP99Millis());
        json.put("bytes_per_client_per_second", result.bytesPerClientPerSecond());
        json.put("late_join_ms", result.lateJoinMillis());
        json.put("interaction_p50_ms", result.interactionP50Millis());
        json.put("interaction_p99_ms", result.interactionP99Millis());
        json.put("diff_efficiency", result.diffEfficiency());
        json.put("disconnects", result.disconnectsSeen());
        json.put("errors", result.errors());
        json.set("samples", mapper.valueToTree(result.samples()));
        Files.write(directory.resolve("result.json"), mapper.writeValueAsBytes(json));
        List<Sample> samples = result.samples();
        if (samples.isEmpty()) {
            return;
        }
        chart(directory.resolve("heartbeat.png"), "Server heartbeat", "ms", samples,
                new String[] {"last", "p50 (last minute)", "p99 (last minute)"},
                List.of(Sample::heartbeatMillis, Sample::heartbeatP50Millis, Sample::heartbeatP99Millis));
        chart(directory.resolve("bandwidth.png"), "Client bandwidth (all agents)", "KB/s", samples,
                new String[] {"received", "sent"},
                List.of(s -> s.bytesInPerSecond() / 1024.0, s -> s.bytesOutPerSecond() / 1024.0));
        chart(directory.resolve("cpu.png"), "Server CPU", "% of all cores", samples,
                new String[] {"cpu"}, List.of(Sample::serverCpuPercent));
        chart(directory.resolve("agents.png"), "Agents and diffs", "count", samples,
                new String[] {"agents connected", "diffs applied per second / 10"},
                List.of(s -> s.agentsConnected(), s -> s.diffsPerSecond() / 10.0));
    }

    private static void chart(Path file, String title, String unit, List<Sample> samples, String[] names,
            List<ToDoubleFunction<Sample>> series) throws IOException {
        XYChart chart = new XYChartBuilder().width(800).height(400).title(title).xAxisTitle("seconds").yAxisTitle(unit).build();
        double[] x = samples.stream().mapToDouble(Sample::secondsSinceStart).toArray();
        for (int i = 0; i < names.length; i++) {
            chart.addSeries(names[i], x, samples.stream().mapToDouble(series.get(i)).toArray());
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
