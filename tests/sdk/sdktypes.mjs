// The Stytch Node SDK's own TypeScript declarations as a runtime check:
// every interface in its B2B `.d.ts` files is read into fields (name,
// optional, type), and an answer is checked against the interface the SDK
// types it as, recursively. A required field missing, or a field of the
// wrong JSON type, is a problem with its path.
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
// The package exports only its entry: climb from it (dist/index.js) to the root.
const typesDir = join(dirname(dirname(require.resolve("stytch"))), "types", "lib");

/** interface name -> [{ name, optional, type }] */
export const interfaces = new Map();

for (const dir of [join(typesDir, "b2b"), join(typesDir, "shared")]) {
  let files = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith(".d.ts"));
  } catch {
    continue;
  }
  for (const file of files) {
    const text = readFileSync(join(dir, file), "utf8").replace(/\/\*\*[\s\S]*?\*\//g, "");
    for (const match of text.matchAll(/export interface (\w+)(?:<[^>]*>)? \{([\s\S]*?)\n\}/g)) {
      const fields = [];
      for (const line of match[2].split("\n")) {
        const field = /^\s+(\w+)(\?)?: (.+);$/.exec(line);
        if (field) fields.push({ name: field[1], optional: field[2] === "?", type: field[3].trim() });
      }
      interfaces.set(match[1], fields);
    }
  }
}

function kind(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/** Problems with `value` as the SDK's type `type` (a TypeScript type text). */
export function check(value, type, path = "") {
  type = type.trim();
  if (type === "any" || type === "unknown") return [];
  if (type.includes("|")) {
    const parts = type.split("|").map((p) => p.trim());
    if (parts.every((p) => p === "string" || /^".*"$/.test(p))) return check(value, "string", path);
    const found = parts.map((p) => check(value, p, path));
    return found.some((f) => f.length === 0) ? [] : found[0];
  }
  if (type === "string" || type === "number" || type === "boolean") {
    return kind(value) === type ? [] : [`${path || "/"}: expected ${type}, got ${kind(value)}`];
  }
  if (type.endsWith("[]")) {
    if (kind(value) !== "array") return [`${path || "/"}: expected an array, got ${kind(value)}`];
    return value.flatMap((item, index) => check(item, type.slice(0, -2), `${path}/${index}`));
  }
  const record = /^Record<string, (.+)>$/.exec(type);
  if (record) {
    if (kind(value) !== "object") return [`${path || "/"}: expected an object, got ${kind(value)}`];
    return Object.entries(value).flatMap(([key, item]) => check(item, record[1], `${path}/${key}`));
  }
  const fields = interfaces.get(type);
  if (!fields) throw new Error(`the SDK's types have no interface ${type} (at ${path || "/"})`);
  if (kind(value) !== "object") return [`${path || "/"}: expected ${type}, got ${kind(value)}`];
  const problems = [];
  for (const field of fields) {
    if (!(field.name in value)) {
      if (!field.optional) problems.push(`${path}/${field.name}: missing (required in ${type})`);
      continue;
    }
    if (field.optional && value[field.name] === null) {
      problems.push(`${path}/${field.name}: null (absent optional fields are absent)`);
      continue;
    }
    problems.push(...check(value[field.name], field.type, `${path}/${field.name}`));
  }
  return problems;
}
