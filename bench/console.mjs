// The console in headless Chromium, measured (not asserted): the bytes a
// first visit transfers, the time to first render, and the time from a
// keystroke to the updated snippet on the largest endpoint's form.
// `cargo xtask bench-console` builds the console and a release gateway and
// runs this.
import { launchChromium } from "../tests/browser/harness.mjs";
import { startGateway } from "../tests/e2e/harness.mjs";

const LOADS = 10;
const KEYSTROKES = 200;

const stats = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] };
};
const ms = (value) => `${value.toFixed(1)} ms`;

const gateway = await startGateway();
const browser = await launchChromium();
try {
  // Transfer: every response of a cold first visit, as sent (compressed).
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  const sizes = new Map();
  const urls = new Map();
  cdp.on("Network.responseReceived", (event) => urls.set(event.requestId, new URL(event.response.url).pathname));
  cdp.on("Network.loadingFinished", (event) => sizes.set(event.requestId, event.encodedDataLength));
  await page.goto(gateway.origin + "/");
  await page.waitForSelector("html[data-ready=true]");
  await page.waitForSelector("#gateway-badge");
  let consoleBytes = 0;
  const rows = [];
  for (const [id, bytes] of sizes) {
    const path = urls.get(id) ?? "?";
    rows.push(`  ${path}: ${bytes} bytes`);
    if (!path.startsWith("/_gateway/")) consoleBytes += bytes;
  }
  console.log(`first visit transfer (compressed, with headers):\n${rows.sort().join("\n")}`);
  console.log(`console total: ${consoleBytes} bytes (${(consoleBytes / 1024).toFixed(1)} KB; target <= 400 KB)`);

  // First render: navigation start to the app mounted, cold and warm.
  const firstRender = [];
  for (let i = 0; i < LOADS; i++) {
    await page.goto(gateway.origin + "/?load=" + i);
    await page.waitForSelector("html[data-ready=true]");
    firstRender.push(await page.evaluate(() => performance.getEntriesByName("orgpolicy:ready")[0].startTime));
  }
  const render = stats(firstRender);
  console.log(`first render (navigation start to mounted, ${LOADS} loads, cache off): median ${ms(render.median)}, max ${ms(render.max)} (target <= 1000 ms)`);

  // Keystroke to snippet on the endpoint with the most fields.
  const { latencies, endpoint, fields } = await page.evaluate(async (count) => {
    const links = [...document.querySelectorAll("nav.endpoints a.endpoint-link")];
    const largest = links.find((a) => a.getAttribute("href") === "#/try/organizations.create");
    largest.click();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const input = document.querySelector("#f-organization_name");
    const snippet = document.querySelector("#snippet");
    const latencies = [];
    for (let i = 0; i < count; i++) {
      const value = `Acme ${i}`;
      const changed = new Promise((resolve) => {
        const observer = new MutationObserver(() => {
          if (snippet.textContent.includes(value)) {
            observer.disconnect();
            resolve(performance.now());
          }
        });
        observer.observe(snippet, { childList: true, characterData: true, subtree: true });
      });
      const start = performance.now();
      input.value = value;
      input.dispatchEvent(new Event("input", { bubbles: true }));
      latencies.push((await changed) - start);
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    }
    return { latencies, endpoint: location.hash, fields: document.querySelectorAll("#request-form .field").length };
  }, KEYSTROKES);
  const keys = stats(latencies);
  console.log(
    `keystroke to updated snippet (${endpoint}, ${fields} fields, ${KEYSTROKES} keystrokes): median ${ms(keys.median)}, p95 ${ms(keys.p95)}, max ${ms(keys.max)} (target <= 16 ms)`,
  );
  await context.close();
} finally {
  await browser.close();
  await gateway.stop();
}
