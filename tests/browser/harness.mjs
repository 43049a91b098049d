// A loopback static server for the npm package and the shared JS runner,
// and headless Chromium (Debian's, driven by playwright-core).
import http from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { chromium } from "playwright-core";
import { packageDir, root } from "../node/corpus.mjs";

const TYPES = { ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".html": "text/html", ".json": "application/json" };
const MOUNTS = { "/pkg/": packageDir, "/js/": join(root, "tests", "js") };
const INDEX = '<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>orgpolicy tests</title></head><body></body></html>';

/**
 * Serves on loopback: `pages` (exact path to text) and `mounts` (path
 * prefix to directory; the first prefix that matches). By default, the
 * test page, the package and the shared JS runner.
 */
export async function startServer({ pages = { "/": INDEX }, mounts = MOUNTS } = {}) {
  const server = http.createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, "http://127.0.0.1").pathname);
    if (Object.hasOwn(pages, path)) {
      const type = path.endsWith("/") ? "text/html" : TYPES[extname(path)];
      response.writeHead(200, { "content-type": type ?? "application/octet-stream" }).end(pages[path]);
      return;
    }
    const mount = Object.keys(mounts).find((prefix) => path.startsWith(prefix));
    const relative = mount && normalize(path.slice(mount.length));
    if (!mount || relative.startsWith("..")) {
      response.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(join(mounts[mount], relative));
      response.writeHead(200, { "content-type": TYPES[extname(relative)] ?? "application/octet-stream" }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}

export async function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
    ],
  });
}
