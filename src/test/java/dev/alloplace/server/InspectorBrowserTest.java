package dev.alloplace.server;

import static dev.alloplace.testing.Waits.await;
import static dev.alloplace.testing.Waits.until;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.client.AlloClient;
import dev.alloplace.client.ClientOptions;
import dev.alloplace.testing.TestPlace;
import dev.alloplace.testing.TestPlaceExtension;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import java.awt.image.BufferedImage;
import javax.imageio.ImageIO;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web inspector in Debian's headless Chromium: a live agent and entity, the kick button, the
 * map, the charts' history from before the page opened, the recent events; and a screenshot.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(TestPlaceExtension.class)
class InspectorBrowserTest {

    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    /** Chromium's profile, deleted after each test (the browser has quit by then). */
    @TempDir
    Path profile;

    private WebDriver browser() throws Exception {
        return browser(1000);
    }

    private WebDriver browser(int height) throws Exception {
        boolean present = new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute();
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("CI requires Debian's chromium and chromium-driver");
        }
        assumeTrue(present, "chromium and chromium-driver are not installed; run scripts/test to install them");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280," + height,
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    @Test
    void thePageShowsAnAgentAndItsEntityAndTheKickButtonDisconnectsIt(TestPlace place) throws Exception {
        AlloClient visitor = place.join("visitor", ClientOptions.defaults("visitor"));
        ObjectNode spec = JsonNodeFactory.instance.objectNode();
        spec.putObject("text").put("string", "inspect me");
        String entity = place.ask(visitor, "spawn_entity", spec).get(1).asText();
        WebDriver browser = browser();
        try {
            // The tables are redrawn as the page polls: an element found just before a redraw is
            // stale when read, so every wait here looks again instead of failing.
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
            wait.ignoring(StaleElementReferenceException.class);
            int port = place.server().adminAddress().orElseThrow().getPort();
            browser.get("http://127.0.0.1:" + port + "/");

            wait.until(d -> d.findElement(By.id("place-name")).getText().equals("Test place"));
            wait.until(d -> d.findElements(By.cssSelector("#agents td.agent-name")).stream()
                    .anyMatch(cell -> cell.getText().equals("visitor")));
            browser.findElement(By.id("entity-search")).sendKeys("inspect me");
            wait.until(d -> d.findElements(By.cssSelector("details.entity[data-entity='" + entity + "']")).size() == 1);
            wait.until(d -> d.findElements(By.cssSelector("#chart-heartbeat canvas")).size() == 1);

            // The agents table is rebuilt every second: a button found just before a refresh is stale.
            wait.ignoring(StaleElementReferenceException.class).until(d -> {
                d.findElement(By.cssSelector("button.kick")).click();
                return true;
            });
            assertThat(await("the visitor is kicked", visitor.disconnected()).data()).isEqualTo(1005);
            wait.until(d -> d.findElements(By.cssSelector("#agents td.agent-name")).isEmpty());
        } finally {
            browser.quit();
        }
    }

    private static final int AVATAR_RGB = 0xe8590c;
    private static final int ENTITY_RGB = 0x2f6fdb;

    private static ObjectNode at(double x, double z) {
        ObjectNode spec = JsonNodeFactory.instance.objectNode();
        var matrix = spec.putObject("transform").putArray("matrix");
        for (double v : new double[] {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, x, 0, z, 1}) {
            matrix.add(v);
        }
        return spec;
    }

    /** Pixels in {@code area} of the screenshot within a small distance of {@code rgb}. */
    private static int pixelsOf(BufferedImage image, java.awt.Rectangle area, int rgb) {
        int count = 0;
        for (int y = Math.max(0, area.y); y < Math.min(image.getHeight(), area.y + area.height); y++) {
            for (int x = Math.max(0, area.x); x < Math.min(image.getWidth(), area.x + area.width); x++) {
                int p = image.getRGB(x, y);
                int dr = ((p >> 16) & 0xff) - ((rgb >> 16) & 0xff);
                int dg = ((p >> 8) & 0xff) - ((rgb >> 8) & 0xff);
                int db = (p & 0xff) - (rgb & 0xff);
                if (Math.abs(dr) <= 6 && Math.abs(dg) <= 6 && Math.abs(db) <= 6) {
                    count++;
                }
            }
        }
        return count;
    }

    /** Adds the identity fields to the page's view of /api/place and /api/agents. */
    private static final String IDENTITIES = """
            const real = window.fetch;
            window.fetch = async (url, init) => {
              const response = await real(url, init);
              if (url !== "/api/place" && url !== "/api/agents") return response;
              const body = await response.json();
              if (Array.isArray(body)) {
                body.forEach(a => { a.identity = { display_name: a.display_name, public_key: "ab".repeat(16), verified: true }; });
              } else {
                body.public_key = "cd".repeat(16);
              }
              return new Response(JSON.stringify(body), { status: response.status, headers: response.headers });
            };
            """;

    /** What the page said and logged, for a failure message. */
    private static String pageState(WebDriver browser) {
        try {
            String summary = browser.findElement(By.id("summary")).getText();
            int markers = browser.findElements(By.cssSelector("#map .marker")).size();
            String console = browser.manage().logs().get("browser").getAll().stream().map(Object::toString)
                    .collect(java.util.stream.Collectors.joining("\n"));
            return "summary \"" + summary + "\", " + markers + " markers, console:\n" + console;
        } catch (RuntimeException e) {
            return "unreadable (" + e + ")";
        }
    }

    private static java.util.List<String> events(WebDriver browser) {
        return browser.findElements(By.cssSelector("#events tbody tr")).stream().map(row -> row.getAttribute("data-kind")
                + " " + row.findElements(By.tagName("td")).get(2).getText().split(" ")[0]).toList();
    }

    @Test
    void theMapHistoryAndEventsShowThePlaceAsItWasBeforeThePageOpened(TestPlace place) throws Exception {
        AlloClient ann = place.join("Ann", ClientOptions.defaults("Ann").withAvatar(at(2, 1)));
        AlloClient bob = place.join("Bob", ClientOptions.defaults("Bob").withAvatar(at(-1, 3)));
        for (int i = 0; i < 8; i++) {
            double angle = i * Math.PI / 4;
            ObjectNode lamp = at(-3 + 2 * Math.cos(angle), -2 + 2 * Math.sin(angle));
            lamp.putArray("children").add(at(0.5, 0));
            place.ask(ann, "spawn_entity", lamp);
        }
        String note = place.ask(ann, "spawn_entity", at(0, 0)).get(1).asText();
        place.ask(ann, "change_components", note, "add_or_change", JsonNodeFactory.instance.objectNode(), "remove",
                JsonNodeFactory.instance.arrayNode().add("transform"));
        AlloClient passer = place.join("Passer");
        place.leave(passer);
        place.ask(bob, "acl_add", "allow", "_");
        until("the place has kept three samples of its history before anyone looks",
                Duration.ofSeconds(10), Duration.ofMillis(100),
                () -> place.admin().json("/api/history").path("samples").size() >= 3);
        double openedAt = place.admin().json("/api/place").path("server_time").asDouble();
        int withTransform = place.onPlace(p -> p.world().withComponent("transform").size());
        assertThat(withTransform).isEqualTo(1 + 2 + 16);

        WebDriver browser = browser(1700);
        try {
            // The tables are redrawn as the page polls: an element found just before a redraw is
            // stale when read, so every wait here looks again instead of failing.
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
            wait.ignoring(StaleElementReferenceException.class);
            JavascriptExecutor page = (JavascriptExecutor) browser;
            int port = place.server().adminAddress().orElseThrow().getPort();
            browser.get("http://127.0.0.1:" + port + "/");

            wait.until(d -> d.findElements(By.cssSelector("#map .marker")).size() == withTransform);
            assertThat(page.executeScript("return window.alloplaceInspector.markers()")).isEqualTo((long) withTransform);
            assertThat(browser.findElements(By.cssSelector("#map .marker.avatar"))).hasSize(2);
            assertThat(browser.findElements(By.cssSelector("#map .marker.place"))).hasSize(1);
            wait.until(d -> ((Number) page.executeScript("return window.alloplaceInspector.samples()")).intValue() >= 3);
            assertThat(((Number) page.executeScript("return window.alloplaceInspector.firstSampleTime()")).doubleValue())
                    .as("the charts start before the page opened").isLessThan(openedAt - 1);
            wait.until(d -> events(d).containsAll(java.util.List.of("join Ann", "join Bob", "join Passer", "leave Passer",
                    "denied Bob")));
            wait.until(d -> !d.findElement(By.cssSelector("#agents tr[data-agent] td.bytes-out")).getText().isEmpty());
            wait.until(d -> !d.findElement(By.cssSelector("#agents tr[data-agent] td.state-lag")).getText().isEmpty());

            // Identities (a verified key per agent, the place's key) as the API will carry them.
            page.executeScript(IDENTITIES);
            wait.until(d -> d.findElements(By.cssSelector("#agents td.agent-name .verified")).size() == 2);
            wait.until(d -> d.findElement(By.id("place-key")).getText().equals("key cdcdcdcd…cdcdcd"));

            wait.ignoring(StaleElementReferenceException.class).until(d -> {
                d.findElement(By.cssSelector("#map .marker[data-entity='" + ann.avatarId() + "']")).click();
                return true;
            });
            wait.until(d -> d.findElements(By.cssSelector("#selected-entity details.entity[open][data-entity='"
                    + ann.avatarId() + "']")).size() == 1);

            wait.ignoring(StaleElementReferenceException.class).until(d -> {
                for (var row : d.findElements(By.cssSelector("#agents tbody tr"))) {
                    if (row.findElement(By.cssSelector("td.agent-name")).getText().startsWith("Bob")) {
                        row.findElement(By.cssSelector("button.kick")).click();
                        return true;
                    }
                }
                return false;
            });
            assertThat(await("Bob is kicked from the page", bob.disconnected()).data()).isEqualTo(1005);
            wait.until(d -> events(d).containsAll(java.util.List.of("kick Bob", "leave Bob")));
            // The events table is redrawn as events arrive: a row found just before a redraw is gone when read.
            String leaveDetail = wait.ignoring(StaleElementReferenceException.class).until(d ->
                    d.findElement(By.cssSelector("#events tbody tr[data-kind='leave'] td.detail")).getText());
            assertThat(leaveDetail).isEqualTo("kicked (1005)");
            wait.until(d -> d.findElements(By.cssSelector("#map .marker")).size() == withTransform - 1);

            Path shot = Path.of(System.getProperty("alloplace.buildDir", "target"), "inspector.png");
            byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
            Files.write(shot, png);
            BufferedImage image = ImageIO.read(new java.io.ByteArrayInputStream(png));
            Rectangle map = browser.findElement(By.id("map")).getRect();
            java.awt.Rectangle area = new java.awt.Rectangle(map.getX(), map.getY(), map.getWidth(), map.getHeight());
            assertThat(pixelsOf(image, area, AVATAR_RGB)).as("Ann's marker in " + shot).isGreaterThan(50);
            assertThat(pixelsOf(image, area, ENTITY_RGB)).as("the lamps in " + shot).isGreaterThan(16 * 10);
            assertThat(pixelsOf(image, new java.awt.Rectangle(0, 0, image.getWidth(), image.getHeight()), 0xffffff))
                    .as("a page, not a blank").isLessThan(image.getWidth() * image.getHeight() * 9 / 10);
        } catch (RuntimeException | AssertionError e) {
            throw new AssertionError("the page when it failed: " + pageState(browser), e);
        } finally {
            browser.quit();
        }
    }
}
