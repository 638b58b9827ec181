// The staff page in a real browser (headless Chromium through puppeteer-core):
// a submission made during the test appears without a reload, and what a
// student sent shows as text, never as markup.
import assert from "node:assert/strict";
import puppeteer from "puppeteer-core";
import { runDecryptClient } from "../../lib/task1/client/decrypt_client.ts";
import { serveGrading } from "../../lib/task1/grading/grading_server.ts";
import { AttemptsLog } from "../../lib/scores/attempts_log.ts";
import { ScoreStore } from "../../lib/scores/score_store.ts";
import { serveStaffPage } from "../../lib/scores/staff_server.ts";
import { tempDir } from "../helpers/processes.ts";

const CANDIDATES = [
  Deno.env.get("CHROME_PATH"),
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
];
const BROWSER = CANDIDATES.find((path) => {
  if (path === undefined) return false;
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
});
if (BROWSER === undefined) {
  console.log(
    "staff_browser_test: ignored, no Chromium found (looked at $CHROME_PATH, " +
      "/usr/bin/chromium, /usr/bin/chromium-browser, /usr/bin/google-chrome); " +
      "`apt-get install chromium` or `.ci/run` as root installs it",
  );
}

Deno.test({
  name: "the staff page shows a new submission without a reload, student text as text",
  ignore: BROWSER === undefined,
  // puppeteer keeps the browser's pipe, a WebSocket and timers of its own
  // open past browser.close(); they are the driver's, not this project's,
  // and the test closes every resource it opened itself.
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await using dir = await tempDir();
    await using store = await ScoreStore.open(":memory:");
    const log = new AttemptsLog();
    await using server = serveGrading({
      hostname: "127.0.0.1",
      store,
      log: () => {},
      onStart: (peer) => log.start(peer),
      onOutcome: (outcome) => log.finish(outcome),
    });
    await using staff = serveStaffPage({ store, log });
    const browser = await puppeteer.launch({
      executablePath: BROWSER!,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        `--user-data-dir=${dir.path}/profile`,
      ],
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(String(error)));
      page.on("console", (message) => {
        if (message.type() === "error") errors.push(message.text());
      });
      await page.setViewport({ width: 1000, height: 800 });
      await page.goto(staff.url, { waitUntil: "load" });
      assert.equal(await page.$eval("#attempts tbody", (body) => body.children.length), 0);
      await page.evaluate(() => Object.assign(globalThis, { loadedOnce: true }));

      await runDecryptClient({ hostname: "127.0.0.1", port: server.port, studentId: 20201234 });
      // The protocol lets no markup through (keywords are letters), so the
      // page's own guard is tested with a message put in the log directly.
      log.finish({
        peer: "127.0.0.1:9",
        score: 0,
        message: "<i>x</i><img src=x onerror=alert(1)>",
      });
      await page.waitForFunction(
        'document.querySelectorAll("#attempts tbody tr").length === 2',
        { timeout: 10_000 },
      );
      const rows = await page.$$eval(
        "#attempts tbody tr",
        (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)),
      );
      assert.deepEqual(rows[1]!.slice(1, 6), ["20201234", "sbmt", "50/50", "GOOD", "50"]);
      assert.equal(rows[0]![6], "<i>x</i><img src=x onerror=alert(1)>");
      assert.equal(await page.$$eval("#attempts i, #attempts img", (found) => found.length), 0);
      const scores = await page.$$eval(
        "#scores tbody tr",
        (trs) => trs.map((tr) => tr.textContent),
      );
      assert.equal(scores.length, 1);
      assert.match(scores[0]!, /^20201234150\/501/);
      assert.equal(await page.evaluate(() => "loadedOnce" in globalThis), true, "page reloaded");
      assert.equal(await page.$eval("#live", (live) => live.textContent), "live");

      await page.screenshot({ path: `${dir.path}/staff-wide.png`, fullPage: true });
      await page.setViewport({ width: 380, height: 800 });
      await page.screenshot({ path: `${dir.path}/staff-narrow.png`, fullPage: true });
      await page.emulateMediaType("print");
      await page.screenshot({ path: `${dir.path}/staff-print.png`, fullPage: true });
      assert.ok((await Deno.stat(`${dir.path}/staff-wide.png`)).size > 1000);
      const keep = Deno.env.get("CS341_KEEP_SCREENSHOTS");
      if (keep !== undefined) {
        for (const name of ["staff-wide.png", "staff-narrow.png", "staff-print.png"]) {
          await Deno.copyFile(`${dir.path}/${name}`, `${keep}/${name}`);
        }
      }
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
    }
  },
});
