// Browses ldtcat's pages with Debian's Chromium through playwright-core, for tests/browser.rs.
//
//   node browse.mjs <plan.json>
//
// The plan names the base URL, the pages (one per page type and data set), the record page
// of a hostile description, and where screenshots go. For every page: axe-core's violations
// of the WCAG 2.0/2.1 A and AA rules (any impact, folded content opened), console errors,
// page errors, dialogs, requests to other origins, and whether the page fits 360 px;
// screenshots at 1280 and 360 px. Then keyboard-only walks of the search page (Tab and Enter:
// a facet, the paging, a record; the map's area list and the bbox field), a drag on the
// search map, and every page again with JavaScript off (the area list, the bbox field and a
// facet must still search). Prints one JSON report on its last line.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const plan = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const base = new URL(plan.base);

const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ldtcat-chromium-"));
// Debian's Chromium (`plan.chromium`, /usr/bin/chromium by default): playwright-core
// downloads no browser.
const launchOptions = {
  executablePath: plan.chromium || "/usr/bin/chromium",
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
  ],
  viewport: { width: 1280, height: 900 },
};
const context = await chromium.launchPersistentContext(userDataDir, launchOptions);
fs.mkdirSync(plan.screenshots, { recursive: true });

/** A page with listeners for everything that must not happen. */
async function watchedPage() {
  const page = await context.newPage();
  const seen = { consoleErrors: [], pageErrors: [], dialogs: [], foreignRequests: [] };
  page.on("console", (message) => {
    if (message.type() === "error") {
      seen.consoleErrors.push(message.text());
    }
  });
  page.on("pageerror", (error) => seen.pageErrors.push(String(error)));
  page.on("dialog", async (dialog) => {
    seen.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    await dialog.dismiss();
  });
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.protocol !== "data:" && url.host !== base.host) {
      seen.foreignRequests.push(request.url());
    }
  });
  // Nothing leaves the machine: requests to other origins are answered locally.
  await page.route((url) => url.host !== base.host && url.protocol !== "data:", (route) =>
    route.fulfill({ status: 204, body: "" }),
  );
  return { page, seen };
}

/** Every violation of axe-core's WCAG 2.0 and 2.1 A and AA rules, whatever its impact, with
 * every `<details>` opened first so that folded content (the search map, more facet values,
 * a distribution's properties) is checked too. */
let axePassed = [];
async function axeViolations(page) {
  await page.evaluate(() => document.querySelectorAll("details").forEach((d) => { d.open = true; }));
  await page.evaluate(axeSource);
  const results = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    return await axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
      resultTypes: ["violations"],
    });
  });
  // How many rules passed: proof that axe-core ran its WCAG rules on the page.
  axePassed.push(results.passes.length);
  return results.violations
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
    }));
}

const report = { pages: [], keyboard: null, mapKeyboard: null, mapDrag: null, noScript: null, hostile: null };

for (const entry of plan.pages) {
  const { page, seen } = await watchedPage();
  const response = await page.goto(new URL(entry.path, base).href, { waitUntil: "load" });
  const status = response ? response.status() : 0;
  axePassed = [];
  const violations = await axeViolations(page);
  await page.screenshot({ path: path.join(plan.screenshots, `${entry.name}.png`), fullPage: true });
  await page.setViewportSize({ width: 360, height: 740 });
  await page.reload({ waitUntil: "load" });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  // What sticks out, to say why a page scrolls sideways.
  const wide = overflow > 1
    ? await page.evaluate(() =>
        [...document.querySelectorAll("body *")]
          .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 1)
          .slice(-5)
          .map((element) => `${element.tagName.toLowerCase()}.${element.className} ${Math.round(element.getBoundingClientRect().width)}px: ${(element.textContent || "").slice(0, 60)}`),
      )
    : [];
  const narrowViolations = await axeViolations(page);
  await page.screenshot({ path: path.join(plan.screenshots, `${entry.name}-360.png`), fullPage: false });
  report.pages.push({ ...entry, status, violations: violations.concat(narrowViolations), axePassed, overflow, wide, ...seen });
  await page.close();
}

// Keyboard only: Tab through the search page and note what gets the focus.
{
  const { page, seen } = await watchedPage();
  await page.goto(new URL(plan.keyboard, base).href, { waitUntil: "load" });
  const reached = { search: false, facet: false, paging: false, record: false };
  let recordStep = -1;
  for (let step = 0; step < plan.maxTabs; step += 1) {
    await page.keyboard.press("Tab");
    const focus = await page.evaluate(() => {
      const element = document.activeElement;
      if (!element) return null;
      return {
        tag: element.tagName.toLowerCase(),
        type: element.getAttribute("type") || "",
        name: element.getAttribute("name") || "",
        href: element.getAttribute("href") || "",
        inFacets: Boolean(element.closest("aside")),
        inPaging: Boolean(element.closest("nav.pages")),
        isTitle: element.classList.contains("title"),
      };
    });
    if (!focus) continue;
    if (focus.tag === "input" && focus.name === "q") reached.search = true;
    if (focus.tag === "a" && focus.inFacets) reached.facet = true;
    if (focus.tag === "a" && focus.inPaging) reached.paging = true;
    if (focus.tag === "a" && focus.isTitle && recordStep < 0) {
      reached.record = true;
      recordStep = step;
    }
    if (reached.search && reached.facet && reached.paging && reached.record) break;
  }
  // Back to the first record link by keyboard alone, then Enter opens it.
  let opened = "";
  if (recordStep >= 0) {
    await page.goto(new URL(plan.keyboard, base).href, { waitUntil: "load" });
    for (let step = 0; step <= recordStep; step += 1) {
      await page.keyboard.press("Tab");
    }
    await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.keyboard.press("Enter")]);
    opened = new URL(page.url()).pathname;
  }
  report.keyboard = { reached, opened, ...seen };
  await page.close();
}

/** Presses Tab until `matches` (run in the page on the focused element) holds; false if
 * `plan.maxTabs` presses never got there. */
async function tabTo(page, matches, arg) {
  for (let step = 0; step < plan.maxTabs; step += 1) {
    await page.keyboard.press("Tab");
    if (await page.evaluate(matches, arg)) return true;
  }
  return false;
}

/** The `bbox` parameter of the page's URL. */
function bboxOf(page) {
  return new URL(page.url()).searchParams.get("bbox") || "";
}

// The map's area form by keyboard alone: Tab to the map's summary, Enter opens it, Tab to the
// area list, a letter chooses an area, Tab to its button, Enter searches. Then the bbox text
// field: Tab to it, type an area, Enter searches.
{
  const { page, seen } = await watchedPage();
  await page.goto(new URL(plan.keyboard, base).href, { waitUntil: "load" });
  const result = { summary: false, opened: false, list: false, chosen: "", searched: "", field: false, typed: "" };
  result.summary = await tabTo(page, () => Boolean(document.activeElement?.closest("details.map-search")
    && document.activeElement.tagName === "SUMMARY"));
  if (result.summary) {
    await page.keyboard.press("Enter");
    result.opened = await page.evaluate(() => document.querySelector("details.map-search").open);
    result.list = await tabTo(page, () => document.activeElement?.id === "search-area");
  }
  if (result.list) {
    await page.keyboard.type(plan.mapKeyboard.letters);
    result.chosen = await page.evaluate(() => document.getElementById("search-area").value);
    await tabTo(page, () => document.activeElement?.tagName === "BUTTON"
      && Boolean(document.activeElement.closest("details.map-search")));
    await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.keyboard.press("Enter")]);
    result.searched = bboxOf(page);
    result.extentShown = await page.locator("#search-map rect.extent").count();
  }
  await page.goto(new URL(plan.keyboard, base).href, { waitUntil: "load" });
  result.field = await tabTo(page, () => document.activeElement?.id === "search-bbox");
  if (result.field) {
    await page.keyboard.type(plan.mapKeyboard.typed);
    await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.keyboard.press("Enter")]);
    result.typed = bboxOf(page);
  }
  report.mapKeyboard = { ...result, ...seen };
  await page.close();
}

// The map with a pointer (map.js): dragging a rectangle fills the bbox field and searches.
{
  const { page, seen } = await watchedPage();
  await page.goto(new URL(plan.keyboard, base).href, { waitUntil: "load" });
  await page.click("details.map-search summary");
  const box = await page.locator("#search-map").boundingBox();
  let searched = "";
  if (box) {
    await page.mouse.move(box.x + box.width * 0.45, box.y + box.height * 0.2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.25, { steps: 5 });
    await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.mouse.up()]);
    searched = bboxOf(page);
  }
  report.mapDrag = { searched, ...seen };
  await page.close();
}

// Without JavaScript: every page answers and shows its heading; the area list, the bbox
// field and a facet still search; record pages still draw their extent.
{
  const noScriptDir = fs.mkdtempSync(path.join(os.tmpdir(), "ldtcat-chromium-nojs-"));
  const noScript = await chromium.launchPersistentContext(noScriptDir, {
    ...launchOptions,
    javaScriptEnabled: false,
  });
  const page = await noScript.newPage();
  const pages = [];
  for (const entry of plan.pages) {
    const response = await page.goto(new URL(entry.path, base).href, { waitUntil: "load" });
    const heading = (await page.locator("h1").first().textContent().catch(() => "")) || "";
    const extents = await page.locator("svg rect.extent").count();
    pages.push({ name: entry.name, status: response ? response.status() : 0, heading: heading.trim(), extents });
  }
  await page.goto(new URL(plan.keyboard, base).href, { waitUntil: "load" });
  await page.click("details.map-search summary");
  await page.selectOption("#search-area", { label: plan.noScriptArea });
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click("details.map-search button")]);
  const area = bboxOf(page);
  const areaResults = await page.locator("ul.results > li").count();
  await page.goto(new URL(plan.keyboard, base).href, { waitUntil: "load" });
  await page.fill("#search-bbox", plan.mapKeyboard.typed);
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click("form.controls button[type=submit]")]);
  const typed = bboxOf(page);
  await page.goto(new URL(plan.keyboard, base).href, { waitUntil: "load" });
  const facetHref = (await page.locator("aside a").first().getAttribute("href")) || "";
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.locator("aside a").first().click()]);
  const facet = { href: facetHref, url: page.url(), chips: await page.locator("p.chips a").count() };
  report.noScript = { pages, area, areaResults, typed, facet };
  await noScript.close();
  fs.rmSync(noScriptDir, { recursive: true, force: true });
}

// The hostile description: nothing runs, nothing is fetched, even when its links are clicked.
{
  const { page, seen } = await watchedPage();
  const response = await page.goto(new URL(plan.hostile, base).href, { waitUntil: "load" });
  const links = await page.$$(".description a");
  let clicked = 0;
  for (const link of links) {
    const href = (await link.getAttribute("href")) || "";
    if (!href.startsWith("http")) {
      await link.click();
      clicked += 1;
    }
  }
  await page.waitForTimeout(500);
  const description = await page.evaluate(() => document.querySelector(".description")?.innerHTML || "");
  report.hostile = { status: response ? response.status() : 0, clicked, description, ...seen };
  await page.screenshot({ path: path.join(plan.screenshots, "record-hostile.png"), fullPage: true });
  await page.close();
}

await context.close();
fs.rmSync(userDataDir, { recursive: true, force: true });
console.log(JSON.stringify(report));
