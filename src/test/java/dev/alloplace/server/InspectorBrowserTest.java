package dev.alloplace.server;

import static dev.alloplace.testing.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.client.AlloClient;
import dev.alloplace.client.ClientOptions;
import dev.alloplace.testing.TestPlace;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The web inspector in Debian's headless Chromium: it shows a live agent and entity and kicks. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class InspectorBrowserTest {

    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    /** Chromium's profile, deleted after the test. */
    @TempDir
    Path profile;

    private WebDriver browser() throws Exception {
        boolean present = new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute();
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("CI requires Debian's chromium and chromium-driver");
        }
        assumeTrue(present, "chromium and chromium-driver are not installed; run scripts/test to install them");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1000",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    @Test
    void thePageShowsAnAgentAndItsEntityAndTheKickButtonDisconnectsIt() throws Exception {
        try (TestPlace place = TestPlace.start()) {
            AlloClient visitor = place.join("visitor", ClientOptions.defaults("visitor"));
            ObjectNode spec = JsonNodeFactory.instance.objectNode();
            spec.putObject("text").put("string", "inspect me");
            String entity = place.ask(visitor, "spawn_entity", spec).get(1).asText();
            WebDriver browser = browser();
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
                int port = place.server().adminAddress().orElseThrow().getPort();
                browser.get("http://127.0.0.1:" + port + "/");

                wait.until(d -> d.findElement(By.id("place-name")).getText().equals("Test place"));
                wait.until(d -> d.findElements(By.cssSelector("#agents td.agent-name")).stream()
                        .anyMatch(cell -> cell.getText().equals("visitor")));
                browser.findElement(By.id("entity-search")).sendKeys("inspect me");
                wait.until(d -> d.findElements(By.cssSelector("details.entity[data-entity='" + entity + "']")).size() == 1);
                wait.until(d -> d.findElements(By.cssSelector("#chart-heartbeat canvas")).size() == 1);

                Path shot = Path.of(System.getProperty("alloplace.buildDir", "target"), "inspector.png");
                Files.write(shot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

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
    }
}
