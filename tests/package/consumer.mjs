// A fresh project with the packed tarball installed, as a user's would be.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { packageDir } from "../node/corpus.mjs";

export const npm = (args, cwd) => execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

/** Packs the built package and installs it offline into a new project; `{project, tarball, remove}`. */
export function installTarball(prefix) {
  const project = mkdtempSync(join(tmpdir(), prefix));
  const tarball = join(project, npm(["pack", "--silent", "--pack-destination", project], packageDir).trim().split("\n").pop());
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  npm(["install", "--no-audit", "--no-fund", "--offline", tarball], project);
  return { project, tarball, remove: () => rmSync(project, { recursive: true, force: true }) };
}
