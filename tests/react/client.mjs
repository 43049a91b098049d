// Hydrates the server's HTML with the same store state, then exposes the
// store so the test can change the subject.
import { createElement as h } from "react";
import { hydrateRoot } from "react-dom/client";
import init, { Engine } from "orgpolicy/web";
import { AuthorizationProvider, createAuthorizationStore } from "orgpolicy/react";
import { App, POLICY } from "./app.mjs";

await init({ module_or_path: "/orgpolicy_bg.wasm" });
const store = createAuthorizationStore({ engine: Engine.load(POLICY).engine, subject: window.SUBJECT });
window.store = store;
window.recoverable = [];
globalThis.renders = {};
hydrateRoot(document.getElementById("root"), h(AuthorizationProvider, { store }, h(App)), {
  onRecoverableError: (error) => window.recoverable.push(String(error)),
});
window.hydrated = true;
