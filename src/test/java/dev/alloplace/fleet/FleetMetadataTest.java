package dev.alloplace.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the place reads from its GameServer, and the label values it writes. */
class FleetMetadataTest {

    private static GameServerView gameServer(Map<String, String> labels, Map<String, String> annotations) {
        return new GameServerView("gs", "Allocated", labels, annotations, "", 0);
    }

    @Test
    void theNameAnnotationWinsOverThePlaceLabel() {
        PlaceAssignment a = PlaceAssignment.of(gameServer(Map.of(PlaceAssignment.PLACE_LABEL, "standup"),
                Map.of(PlaceAssignment.NAME_ANNOTATION, "  Team standup  ")));

        assertThat(a.name()).contains("Team standup");
        assertThat(PlaceAssignment.of(gameServer(Map.of(PlaceAssignment.PLACE_LABEL, "standup"), Map.of())).name())
                .contains("standup");
        assertThat(PlaceAssignment.of(gameServer(Map.of(), Map.of())).name()).isEmpty();
    }

    @Test
    void metadataThatDoesNotFitIsIgnoredAndSaidSo() {
        PlaceAssignment a = PlaceAssignment.of(gameServer(Map.of(PlaceAssignment.PLACE_LABEL, "lobby"),
                Map.of(PlaceAssignment.NAME_ANNOTATION, "x".repeat(201),
                        PlaceAssignment.EMPTY_SHUTDOWN_ANNOTATION, "soon")));

        assertThat(a.name()).contains("lobby");
        assertThat(a.emptyShutdown()).isEmpty();
        assertThat(a.ignored()).hasSize(2);
        assertThat(PlaceAssignment.of(gameServer(Map.of(), Map.of(PlaceAssignment.EMPTY_SHUTDOWN_ANNOTATION, "-1")))
                .emptyShutdown()).isEmpty();
        assertThat(PlaceAssignment.of(gameServer(Map.of(), Map.of(PlaceAssignment.EMPTY_SHUTDOWN_ANNOTATION, "60000")))
                .emptyShutdown()).contains(Duration.ofMinutes(1));
    }

    @Test
    void placeNamesBecomeKubernetesLabelValues() {
        assertThat(PlaceLabels.labelValue("Team Room #2")).isEqualTo("team-room-2");
        assertThat(PlaceLabels.labelValue("--Ünïcode café--")).isEqualTo("n-code-caf");
        assertThat(PlaceLabels.labelValue("☕")).isEqualTo("unnamed");
        assertThat(PlaceLabels.labelValue("a".repeat(70) + "-b")).hasSize(63).matches("[a-z0-9]([-a-z0-9_.]*[a-z0-9])?");
        assertThat(PlaceLabels.labelValue("x".repeat(62) + "-y")).isEqualTo("x".repeat(62));
        assertThat(PlaceLabels.of("Lobby")).containsEntry("place", "lobby").containsEntry("protocol-3", "true")
                .containsEntry("protocol-4", "true");
    }

    @Test
    void theGameServerIsReadFromGetAndFromWatchLines() {
        String gs = "{\"object_meta\":{\"name\":\"gs-1\",\"labels\":{\"a\":\"b\"},\"annotations\":{\"c\":\"d\",\"n\":1}},"
                + "\"status\":{\"state\":\"Allocated\"}}";

        GameServerView fromGet = GameServerView.fromGameServer(gs).orElseThrow();
        assertThat(fromGet.name()).isEqualTo("gs-1");
        assertThat(fromGet.allocated()).isTrue();
        assertThat(fromGet.labels()).containsExactly(Map.entry("a", "b"));
        assertThat(fromGet.annotations()).containsExactly(Map.entry("c", "d"));
        assertThat(GameServerView.fromWatchLine("{\"result\":" + gs + "}")).contains(fromGet);
        assertThat(GameServerView.fromWatchLine("{\"error\":{\"grpc_code\":14,\"message\":\"unavailable\"}}")).isEmpty();
        assertThat(GameServerView.fromWatchLine("not json")).isEmpty();
    }
}
