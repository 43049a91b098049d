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

/** A small project policy, as JSON text. */
export const POLICY = JSON.stringify({
  resources: [{ resource_id: "documents", actions: ["read", "write"] }],
  roles: [{ role_id: "reader", permissions: [{ resource_id: "documents", actions: ["read"] }] }],
});

/**
 * JavaScript that every packaged build runs the same: with `Engine` in
 * scope, loads POLICY (`loaded`) and sets `checks` to a granted action, an
 * ungranted one and a cross-organization check's error type.
 */
export const CHECKS = `
  const loaded = Engine.load(${POLICY});
  const engine = loaded.engine;
  const subject = { organization_id: "org-1", roles: ["reader"] };
  const checks = [
    engine.isAuthorized(subject, { organization_id: "org-1", resource_id: "documents", action: "read" }),
    engine.isAuthorized(subject, { organization_id: "org-1", resource_id: "documents", action: "write" }),
    engine.authorize(subject, { organization_id: "org-2", resource_id: "documents", action: "read" }).errorType,
  ];
`;

/** What `checks` holds. */
export const EXPECTED_CHECKS = [true, false, "tenancy_mismatch"];
