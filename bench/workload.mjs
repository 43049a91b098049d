// The standard workload's files, as the Node benches read them (written by
// `cargo run -p orgpolicy-workload -- target/workload`; `cargo xtask
// bench-node` writes them).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { root } from "../tests/node/corpus.mjs";

const dir = join(root, "target", "workload");
const read = (name) => readFileSync(join(dir, name), "utf8");

/** The project policy and every organization's policy, as JSON text (organizations as one object). */
export function policyTexts() {
  return {
    policyText: read("policy.json"),
    organizationsText: JSON.stringify(Object.fromEntries(JSON.parse(read("organizations.json")))),
  };
}

/** `policyTexts()`, the members, the names and the checks (member, organization, resource, action per check). */
export function readWorkload() {
  const raw = readFileSync(join(dir, "checks.bin"));
  return {
    ...policyTexts(),
    members: JSON.parse(read("members.json")),
    names: JSON.parse(read("names.json")),
    quads: new Uint32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4),
  };
}
