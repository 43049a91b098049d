// Hydrates the server's HTML with the same store state, then exposes the
// store so the test can change the subject.
import { createElement as h } from "react";
import { hydrateRoot } from "react-dom/client";
import init, { Engine } from "orgpolicy/web";
import { AuthorizationProvider, createAuthorizationStore } from "orgpolicy/react";
import { App, POLICY } from "./app.mjs";

// Hydrate first, from what the server handed over: the WebAssembly module
// loads afterwards, and the page never shows "loading" in between.
const store = createAuthorizationStore({ initial: window.AUTHORIZATION });
window.store = store;
window.recoverable = [];
globalThis.renders = {};
hydrateRoot(document.getElementById("root"), h(AuthorizationProvider, { store }, h(App)), {
  onRecoverableError: (error) => window.recoverable.push(String(error)),
});
window.hydrated = true;
await init({ module_or_path: "/wasm/orgpolicy_bg.wasm" });
store.setEngine(Engine.load(POLICY).engine);
window.engineReady = true;
