// What both pages do first: hydrate the server's HTML from a store made of
// what the server handed over (before the WebAssembly module loads, so the
// page never shows "loading" in between), recording recoverable errors
// (hydration mismatches) and each component's renders.
import { createElement as h } from "react";
import { hydrateRoot } from "react-dom/client";
import init from "orgpolicy/web";
import { AuthorizationProvider, createAuthorizationStore } from "orgpolicy/react";
import { App } from "./app.mjs";

/** Hydrates, then loads the module; answers the store. */
export async function hydrateThenLoad() {
  const store = createAuthorizationStore({ initial: window.AUTHORIZATION });
  window.store = store;
  window.recoverable = [];
  globalThis.renders = {};
  hydrateRoot(document.getElementById("root"), h(AuthorizationProvider, { store }, h(App)), {
    onRecoverableError: (error) => window.recoverable.push(String(error)),
  });
  window.hydrated = true;
  await init({ module_or_path: "/wasm/orgpolicy_bg.wasm" });
  return store;
}
