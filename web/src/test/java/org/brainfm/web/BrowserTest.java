package org.brainfm.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.brainfm.records.Records;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The site in a real browser: Debian's headless Chromium driven by Selenium through Debian's
 * chromedriver (scripts/test installs both; a machine without them fails here, it does not
 * skip). Screenshots go to {@code target/screenshots}. JavaScript is used by the test only,
 * to measure pages; the site itself sends none.
 */
class BrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    static Path dir;
    static Records records;
    static Fixture data;
    static Site site;
    static ChromeDriver browser;
    static String base;
    static Path screenshots = Path.of(System.getProperty("brainfm.screenshots", "target/screenshots"));

    @BeforeAll
    static void start() throws IOException {
        records = Records.open(Fixture.url(dir));
        data = new Fixture(records);
        site = new Site(records, Fixture.TOKEN, 200);
        site.app().start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + site.app().port();

        browser = chromium(dir);
        Files.createDirectories(screenshots);
    }

    /** Debian's headless Chromium through its chromedriver, with a profile in {@code dir}. */
    static ChromeDriver chromium(Path dir) throws IOException {
        assertThat(Files.isExecutable(CHROMIUM)).as(CHROMIUM + " is missing: apt-get install chromium chromium-driver "
                + "(scripts/test does)").isTrue();
        assertThat(Files.isExecutable(CHROMEDRIVER)).as(CHROMEDRIVER + " is missing: apt-get install chromium-driver")
                .isTrue();
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (site != null) {
            site.close();
        }
        if (records != null) {
            records.close();
        }
    }

    @Test
    void openTheBoardSortByAColumnAndOpenAnEntry() throws IOException {
        browser.manage().window().setSize(new Dimension(1280, 900));
        browser.get(base + "/");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Leaderboard");
        assertThat(entries()).hasSize(6).contains("ResEnc v1").doesNotContain("Leaky");
        assertThat(browser.findElement(By.cssSelector("td.ci")).getText()).matches("\\[\\d+, \\d+\\]");
        screenshot("board");

        heading("parameters").click();
        assertThat(browser.getCurrentUrl()).endsWith("/?sort=parameters&dir=asc");
        assertThat(entries()).first().isEqualTo("U-Net cross-contrast");
        assertThat(entries()).last().isEqualTo(Fixture.XSS_ENTRY);
        heading("parameters").click();
        assertThat(browser.getCurrentUrl()).endsWith("/?sort=parameters&dir=desc");
        assertThat(entries()).first().isEqualTo(Fixture.XSS_ENTRY);
        screenshot("board-sorted-by-parameters");

        // the team named like a script is text on the page, and nothing ran
        assertThat(browser.findElements(By.xpath("//td[text()='" + Fixture.XSS_TEAM + "']"))).hasSize(1);
        assertThatThrownBy(() -> browser.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);

        browser.findElement(By.cssSelector("tbody th.entry a[href='/entries/" + data.unet + "']")).click();
        assertThat(browser.getCurrentUrl()).isEqualTo(base + "/entries/" + data.unet);
        assertThat(browser.findElement(By.tagName("h1")).getText()).startsWith("U-Net cross-contrast");
        List<WebElement> curves = browser.findElements(By.cssSelector("svg.chart"));
        assertThat(curves).hasSize(4);
        assertThat(curves.get(0).getSize().getWidth()).isGreaterThan(300);
        assertThat(browser.findElements(By.cssSelector("svg.chart path.line.series-0"))).hasSize(4);
        screenshot("entry");
    }

    @Test
    void aTaskBoardShowsOneEntryPerTeam() throws IOException {
        browser.manage().window().setSize(new Dimension(1280, 900));
        browser.get(base + "/tasks/" + Fixture.SEGMENTATION);
        assertThat(entries()).hasSize(6);
        browser.findElement(By.linkText("best entry per team")).click();
        assertThat(entries()).hasSize(4).contains("ResEnc v1").doesNotContain("ResEnc v2");
        heading("hd95").click();
        assertThat(browser.getCurrentUrl()).contains("show=best", "sort=hd95", "dir=asc");
        screenshot("task-best-per-team");
    }

    @Test
    void theComparisonPageHasItsPlots() throws IOException {
        browser.manage().window().setSize(new Dimension(1280, 900));
        browser.get(base + "/compare");
        // per task: score against parameters, against GPU-hours (the baselines) and against CPU device-hours (the teams)
        List<WebElement> plots = browser.findElements(By.cssSelector("figure.plot svg.chart"));
        assertThat(plots).hasSize(9);
        for (WebElement plot : plots) {
            assertThat(plot.getAttribute("role")).isEqualTo("img");
            assertThat(plot.getSize().getHeight()).isGreaterThan(150);
            assertThat(plot.findElements(By.cssSelector(".marks > *"))).isNotEmpty();
        }
        assertThat(browser.findElements(By.cssSelector("path.line.front"))).hasSize(9);
        assertThat(browser.findElements(By.cssSelector(".marks text.name"))).isNotEmpty();
        assertThat(browser.findElement(By.tagName("caption")).getText())
                .isEqualTo("Best CNN against best transformer, per task");
        screenshot("compare");
    }

    @Test
    void pagesFitAPhone() throws IOException {
        browser.manage().window().setSize(new Dimension(390, 844));
        for (String page : List.of("/", "/entries/" + data.unet, "/compare", "/tasks")) {
            browser.get(base + page);
            long overflow = (Long) ((JavascriptExecutor) browser).executeScript(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
            assertThat(overflow).as("horizontal overflow of " + page).isLessThanOrEqualTo(0);
        }
        browser.get(base + "/");
        screenshot("board-phone");
    }

    @Test
    void anOrganiserHidesARunAndShowsItAgainThroughThePage() throws IOException {
        long latest = data.boardRuns.get(data.unet).get(Fixture.SEGMENTATION);
        browser.manage().window().setSize(new Dimension(1280, 900));
        try {
            signIn();
            waitFor(By.cssSelector("button[aria-label='Hide run " + latest + "']")).click();
            assertThat(waitFor(By.cssSelector("p.notice")).getText()).isEqualTo("Run " + latest
                    + " is now hidden.");
            assertThat(browser.findElements(By.cssSelector("button[aria-label='Show run " + latest + "']"))).hasSize(1);
            screenshot("admin-run-hidden");

            // the entry's page now shows the scoring run before it, and not the hidden one
            browser.get(base + "/entries/" + data.unet);
            assertThat(browser.getPageSource()).contains("Configuration of run " + data.supersededRun + " ")
                    .doesNotContain("Configuration of run " + latest + " ");

            // still signed in: the session holds
            browser.get(base + "/admin");
            waitFor(By.cssSelector("button[aria-label='Show run " + latest + "']")).click();
            assertThat(waitFor(By.cssSelector("p.notice")).getText()).isEqualTo("Run " + latest
                    + " is now shown.");
            browser.get(base + "/entries/" + data.unet);
            assertThat(browser.getPageSource()).contains("Configuration of run " + latest + " ");
        } finally {
            records.runs().setHidden(latest, false);
        }
    }

    @Test
    void longAndBidiNamesStayInTheirColumnsAndShowTheirControls() throws IOException {
        Path hostileDir = Files.createDirectories(dir.resolve("hostile"));
        try (Records hostile = Records.open(Fixture.url(hostileDir))) {
            new Hostile(hostile);
            try (Site other = new Site(hostile, Fixture.TOKEN, 0)) {
                other.app().start("127.0.0.1", 0);
                browser.manage().window().setSize(new Dimension(1280, 900));
                browser.get("http://127.0.0.1:" + other.app().port() + "/");
                WebElement longName = browser.findElement(By.cssSelector("th.entry a[title^='Longooo']"));
                assertThat(longName.getSize().getWidth()).isLessThan(400);
                assertThat(longName.getAttribute("title")).isEqualTo(Hostile.LONG);
                WebElement longTeam = browser.findElement(By.cssSelector("td[title^='Teammm']"));
                assertThat(longTeam.getSize().getWidth()).isLessThan(400);
                long overflow = (Long) ((JavascriptExecutor) browser).executeScript(
                        "var w = document.querySelector('.table-wrap'); return w.scrollWidth - w.clientWidth;");
                assertThat(overflow).as("the board's columns beyond its box").isLessThanOrEqualTo(0);
                String text = browser.findElement(By.tagName("main")).getText();
                assertThat(text).contains("Lab A\\u202Egnp.exe\\u202C").doesNotContainPattern(Hostile.INVISIBLE);
                screenshot("board-long-and-bidi-names");
            }
        }
    }

    /** The organiser's page, signed in with the token through its form. */
    private static void signIn() {
        browser.get(base + "/admin");
        browser.findElement(By.id("token")).sendKeys(Fixture.TOKEN);
        browser.findElement(By.cssSelector("form.token button")).click();
    }

    /** An element of the page a form post leads to: the click may return before that page is loaded. */
    private static WebElement waitFor(By by) {
        return new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(by));
    }

    /** The link of a column heading, by the column's key. */
    private static WebElement heading(String key) {
        return browser.findElement(By.cssSelector("thead th a[href*='sort=" + key + "&']"));
    }

    private static List<String> entries() {
        return browser.findElements(By.cssSelector("tbody th.entry a")).stream().map(WebElement::getText).toList();
    }

    /** A screenshot of the whole page at the window's width. */
    private static void screenshot(String name) throws IOException {
        screenshot(browser, name);
    }

    /** A screenshot of the whole page at the window's width, into {@code target/screenshots}. */
    static void screenshot(ChromeDriver browser, String name) throws IOException {
        Files.createDirectories(screenshots);
        Dimension window = browser.manage().window().getSize();
        long height = (Long) ((JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollHeight;");
        browser.manage().window().setSize(new Dimension(window.getWidth(), (int) Math.min(6000, height + 140)));
        File shot = browser.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), screenshots.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        browser.manage().window().setSize(window);
    }
}
