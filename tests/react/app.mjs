// The app both renders use: the server (react-dom/server) and the page
// (hydrateRoot). Each component counts its renders in `globalThis.renders`.
import { createElement as h } from "react";
import { Authorized, useIsAuthorized, usePermissions } from "orgpolicy/react";

export const POLICY = {
  resources: [
    { resource_id: "documents", actions: ["read", "write"] },
    { resource_id: "invoices", actions: ["read", "approve"] },
  ],
  roles: [
    { role_id: "reader", permissions: [{ resource_id: "documents", actions: ["read"] }] },
    { role_id: "writer", permissions: [{ resource_id: "documents", actions: ["read", "write"] }] },
    { role_id: "approver", permissions: [{ resource_id: "invoices", actions: ["read", "approve"] }] },
  ],
};

function counted(name) {
  globalThis.renders ??= {};
  globalThis.renders[name] = (globalThis.renders[name] ?? 0) + 1;
}

function Check({ name, resource, action }) {
  counted(name);
  const { isAuthorized, isInitialized } = useIsAuthorized(resource, action);
  return h("li", { id: name }, `${name}: ${isInitialized ? (isAuthorized ? "allowed" : "denied") : "loading"}`);
}

function Count() {
  counted("count");
  const { isInitialized, permissions } = usePermissions();
  const granted = Object.values(permissions).flatMap((actions) => Object.values(actions)).filter(Boolean).length;
  return h("li", { id: "count" }, isInitialized ? `${granted} granted` : "loading");
}

export function App() {
  return h(
    "ul",
    null,
    h(Check, { name: "read", resource: "documents", action: "read" }),
    h(Check, { name: "write", resource: "documents", action: "write" }),
    h(Check, { name: "approve", resource: "invoices", action: "approve" }),
    h(Count),
    h("li", { id: "gate" }, h(Authorized, { resource: "invoices", action: "approve", fallback: "no invoices" }, "invoices")),
  );
}
