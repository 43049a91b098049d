// Renders the app on the server from a store with an engine and subject.
import { createElement as h } from "react";
import { renderToString } from "react-dom/server";
import { Engine } from "orgpolicy";
import { AuthorizationProvider, createAuthorizationStore } from "orgpolicy/react";
import { App, POLICY } from "./app.mjs";

export function render(subject) {
  const store = createAuthorizationStore({ engine: Engine.load(POLICY).engine, subject });
  return renderToString(h(AuthorizationProvider, { store }, h(App)));
}

export function renderWithoutEngine() {
  return renderToString(h(AuthorizationProvider, { store: createAuthorizationStore() }, h(App)));
}
