// The console end to end: a real gateway (with its embedded sandbox on
// SQLite) started on a loopback port over the built console, and Debian's
// headless Chromium driven by playwright-core.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { root } from "../node/corpus.mjs";

export const consoleDir = process.env.ORGPOLICY_CONSOLE_DIR ?? join(root, "target", "console");
export const gatewayBin = process.env.ORGPOLICY_GATEWAY_BIN ?? join(root, "target", "debug", "orgpolicy-gateway");
export const artifactsDir = join(root, "target", "e2e-artifacts");

/**
 * Starts the gateway on 127.0.0.1 (a free port) with a fresh data dir,
 * serving the built console (or `staticDir`, which may be anything). The
 * sandbox starts empty unless `demo` (or a policy file) says otherwise.
 */
export async function startGateway(extraArgs = [], { staticDir, demo = false } = {}) {
  const empty = demo || extraArgs.includes("--policy-file") ? [] : ["--empty"];
  if (!staticDir && !existsSync(join(consoleDir, "index.html"))) {
    throw new Error(`the console is not built in ${consoleDir}: run cargo xtask console`);
  }
  if (!existsSync(gatewayBin)) {
    throw new Error(`no gateway binary at ${gatewayBin}: run cargo build -p orgpolicy-gateway`);
  }
  const dataDir = await mkdtemp(join(tmpdir(), "orgpolicy-e2e-"));
  const child = spawn(
    gatewayBin,
    ["--bind", "127.0.0.1:0", "--data-dir", dataDir, "--static-dir", staticDir ?? consoleDir, ...empty, ...extraArgs],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, RUST_LOG: "warn" } },
  );
  const logs = [];
  child.stderr.on("data", (chunk) => logs.push(String(chunk)));
  const lines = createInterface({ input: child.stdout });
  const origin = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the gateway did not start: ${logs.join("")}`)), 60_000);
    child.once("exit", (code) => reject(new Error(`the gateway exited (${code}): ${logs.join("")}`)));
    lines.on("line", (line) => {
      const found = /^orgpolicy gateway: (http:\/\/127\.0\.0\.1:\d+)\//.exec(line);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    });
  });
  const credentials = JSON.parse(await readFile(join(dataDir, "credentials.json"), "utf8"));
  return {
    origin,
    credentials,
    logs,
    /** Calls the API through the gateway as a backend would; the answer, which must be a 200. */
    async api(method, path, body) {
      const response = await fetch(`${origin}${path}`, {
        method,
        headers: { "content-type": "application/json" },
        body: body && JSON.stringify(body),
      });
      const answer = await response.json();
      assert.equal(response.status, 200, JSON.stringify(answer));
      return answer;
    },
    async stop() {
      child.kill("SIGTERM");
      await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once("exit", resolve)));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Opens the console a gateway serves in a new page of `browser` at this
 * viewport, page errors collected into `pageErrors`; the page once mounted.
 */
export async function openConsole(browser, gateway, viewport, pageErrors) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.on("pageerror", (error) => pageErrors.push(String(error)));
  await page.goto(`${gateway.origin}/`);
  await page.waitForFunction(() => document.documentElement.dataset.ready === "true");
  return page;
}
