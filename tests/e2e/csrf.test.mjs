// Cross-site request forgery against a loopback gateway, as a hostile page
// would try it: a page on another origin (a second loopback server) posts
// a text/plain form, a urlencoded form and no-cors fetches at the gateway
// in real Chromium. Nothing may be created; the same request from the
// gateway's own origin must work, so the check can see a write.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { launchChromium } from "../browser/harness.mjs";
import { startGateway } from "./harness.mjs";

let gateway;
let attacker;
let browser;

function attackPage(target) {
  const api = `${target}/v1/b2b/organizations`;
  // The text/plain form's body is `name=value`: the name carries JSON up to
  // a key whose value swallows the `=`, so the body parses as JSON.
  const jsonName = '{"organization_name":"Pwned form","organization_slug":"pwned-form","x":"';
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>cute cats</title></head><body>
<iframe name="sink-text"></iframe><iframe name="sink-url"></iframe>
<form id="text" method="POST" enctype="text/plain" action="${api}" target="sink-text"><input name='${jsonName}' value='"}'></form>
<form id="url" method="POST" action="${api}" target="sink-url"><input name="organization_name" value="Pwned url"><input name="organization_slug" value="pwned-url"></form>
<script>
window.attack = async () => {
  document.getElementById("text").submit();
  document.getElementById("url").submit();
  const body = JSON.stringify({ organization_name: "Pwned fetch", organization_slug: "pwned-fetch" });
  const results = [];
  for (const init of [
    { method: "POST", mode: "no-cors", body },
    { method: "POST", mode: "no-cors", body, headers: { "content-type": "text/plain" } },
    { method: "POST", mode: "no-cors", body: new Blob([body], { type: "application/json" }) },
    // Browsers refuse DELETE without CORS; with it, the preflight is refused.
    { method: "DELETE" },
    // A read: the answer is opaque to the page, and refused anyway.
    { method: "GET", mode: "no-cors" },
  ]) {
    try {
      const url = init.method === "POST" ? "${api}" : "${api}/acme";
      const response = await fetch(url, init);
      results.push(response.type);
    } catch (error) {
      results.push(String(error));
    }
  }
  return results;
};
</script></body></html>`;
  return html;
}

before(async () => {
  gateway = await startGateway();
  attacker = http.createServer((request, response) => {
    response.writeHead(200, { "content-type": "text/html" }).end(attackPage(gateway.origin));
  });
  await new Promise((resolve) => attacker.listen(0, "127.0.0.1", resolve));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  attacker?.close();
  await gateway?.stop();
});

async function organizations() {
  const response = await fetch(`${gateway.origin}/v1/b2b/organizations/search`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
  });
  assert.equal(response.status, 200);
  return (await response.json()).organizations.map((o) => o.organization_slug).sort();
}

test("a page on another origin cannot write through the gateway", async () => {
  // An organization the DELETE would remove.
  const created = await fetch(`${gateway.origin}/v1/b2b/organizations`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ organization_name: "Acme", organization_slug: "acme" }),
  });
  assert.equal(created.status, 200);

  const context = await browser.newContext();
  const page = await context.newPage();
  const answers = [];
  context.on("response", (response) => {
    if (response.url().startsWith(gateway.origin)) answers.push([response.request().method(), response.status()]);
  });
  const attackerOrigin = `http://127.0.0.1:${attacker.address().port}`;
  assert.notEqual(attackerOrigin, gateway.origin);
  await page.goto(`${attackerOrigin}/`);
  const results = await page.evaluate(() => window.attack());
  assert.deepEqual(results, ["opaque", "opaque", "opaque", "TypeError: Failed to fetch", "opaque"]);
  // Both forms navigate their frames: wait for both answers to arrive.
  await page.waitForFunction(() => [...document.querySelectorAll("iframe")].every((f) => {
    try { return f.contentWindow.location.href !== "about:blank"; } catch { return true; }
  }));
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.ok(answers.length >= 6, JSON.stringify(answers));
  for (const [method, status] of answers) assert.equal(status, 403, `${method} answered ${status}`);
  assert.deepEqual(await organizations(), ["acme"]);

  // The same write from the gateway's own origin works: the check above
  // would have seen one.
  await page.goto(`${gateway.origin}/`);
  const status = await page.evaluate(async () => {
    const response = await fetch("/v1/b2b/organizations", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ organization_name: "Own", organization_slug: "own-origin" }),
    });
    return response.status;
  });
  assert.equal(status, 200);
  assert.deepEqual(await organizations(), ["acme", "own-origin"]);
  await context.close();
});
