package org.brainfm.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.brainfm.records.EvaluationSplit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A challenge in a real browser (Debian's Chromium): a team signs in with its token, uploads a good
 * and a broken entry through the page and sees the score and the reason; the organiser sees the
 * queue and closes a phase, after which the team's page offers it no more. Screenshots in
 * {@code target/screenshots}: challenge-*.png.
 */
class ChallengeBrowserTest {
    @TempDir
    static Path dir;
    static ChallengeFixture challenge;
    static ChromeDriver browser;
    static String base;

    @BeforeAll
    static void start() throws IOException {
        challenge = new ChallengeFixture(dir);
        base = "http://127.0.0.1:" + challenge.port();
        browser = BrowserTest.chromium(dir);
        browser.manage().window().setSize(new Dimension(1280, 900));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        challenge.close();
    }

    @Test
    void aTeamUploadsAGoodAndABrokenEntryThroughThePageAndTheOrganiserClosesThePhase() throws Exception {
        browser.get(base + "/team");
        browser.findElement(By.id("token")).sendKeys(challenge.alpha + "-wrong");
        browser.findElement(By.cssSelector("form.token button")).click();
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("needs your team's token");

        browser.get(base + "/team");
        browser.findElement(By.id("token")).sendKeys(challenge.alpha);
        browser.findElement(By.cssSelector("form.token button")).click();
        assertThat(waitFor(By.tagName("h1")).getText()).isEqualTo("Team Alpha");
        upload("sanity", challenge.entry("Team Alpha", "page-good", EvaluationSplit.SANITY, 1.5, false));
        assertThat(waitFor(By.cssSelector("p.notice")).getText()).contains("received");
        upload("sanity", challenge.entry("Team Alpha", "page-broken", EvaluationSplit.SANITY, 1.5, true));

        // the page follows them: the good one scored, the broken one invalid with its reason
        new WebDriverWait(browser, Duration.ofMinutes(2)).pollingEvery(Duration.ofMillis(500)).until(d -> {
            d.navigate().refresh();
            String text = d.findElement(By.tagName("tbody")).getText();
            return text.contains("scored") && text.contains("invalid");
        });
        String table = browser.findElement(By.tagName("tbody")).getText();
        assertThat(table).contains("page-broken invalid age.csv: no prediction for test case");
        BrowserTest.screenshot(browser, "challenge-team");
        browser.findElement(By.xpath("//tr[td[text()='page-good']]//a")).click();
        String page = waitFor(By.tagName("main")).getText();
        assertThat(page).contains("Status\nscored", "mae: 1.5", "Per-case results on age");
        BrowserTest.screenshot(browser, "challenge-submission");

        // another team's submission is not found for this team
        long other = challenge.upload(challenge.beta, "methods", challenge.entry("Team Beta", "beta-page", EvaluationSplit.TEST, 1, false));
        browser.get(base + "/submissions/" + other);
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("no submission " + other + " of your team");

        // the phase's public board: the team's entry, no per-case results
        browser.get(base + "/phases/sanity");
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("page-good", "Team Alpha")
                .doesNotContain("page-broken");
        assertThat(browser.findElements(By.xpath("//*[contains(text(), 'sub_')]"))).isEmpty();
        BrowserTest.screenshot(browser, "challenge-phase-board");

        // the organiser: the queue with the reason, and closing the phase
        browser.get(base + "/admin");
        browser.findElement(By.id("token")).sendKeys(Fixture.TOKEN);
        org.openqa.selenium.WebElement loginPage = browser.findElement(By.tagName("main"));
        browser.findElement(By.cssSelector("form.token button")).click();
        // the login page has a <main> too: wait until it is gone, or its text is read as the page unloads
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.stalenessOf(loginPage));
        assertThat(waitFor(By.tagName("main")).getText()).contains("page-broken", "no prediction for test case");
        browser.findElement(By.cssSelector("button[aria-label='Close phase sanity']")).click();
        assertThat(waitFor(By.cssSelector("p.notice")).getText()).contains("Phase sanity is now closed.");
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("organiser (page");
        BrowserTest.screenshot(browser, "challenge-organiser");
        browser.get(base + "/team");
        assertThat(browser.findElements(By.cssSelector("#phase option"))).extracting(o -> o.getAttribute("value"))
                .doesNotContain("sanity").contains("methods");
        browser.get(base + "/phases");
        BrowserTest.screenshot(browser, "challenge-phases");
    }

    private static void upload(String phase, Path zip) {
        browser.get(base + "/team");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("phase"))).selectByValue(phase);
        browser.findElement(By.id("file")).sendKeys(zip.toAbsolutePath().toString());
        browser.findElement(By.cssSelector("form.upload button")).click();
    }

    private static org.openqa.selenium.WebElement waitFor(By by) {
        return new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(by));
    }
}
