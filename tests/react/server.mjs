// Renders the app on the server from a store with an engine and subject.
import { createElement as h } from "react";
import { renderToString } from "react-dom/server";
import { Engine, Session } from "orgpolicy";
import { AuthorizationProvider, createAuthorizationStore } from "orgpolicy/react";
import { App, POLICY } from "./app.mjs";

export function render(subject) {
  return renderWithState(subject).html;
}

/** The HTML and what the server's store hands to the client. */
export function renderWithState(subject) {
  const store = createAuthorizationStore({ engine: Engine.load(POLICY).engine, subject });
  const html = renderToString(h(AuthorizationProvider, { store }, h(App)));
  return { html, state: store.dehydrate() };
}

export function renderWithoutEngine() {
  return renderToString(h(AuthorizationProvider, { store: createAuthorizationStore() }, h(App)));
}

/** The HTML and hand-over of a store over a member session (attached to an engine, or not yet). */
export function renderWithSession(subject, { attached }) {
  const created = attached ? Engine.load(POLICY).engine.session(subject) : Session.create(subject);
  const store = createAuthorizationStore({ session: created.session });
  const html = renderToString(h(AuthorizationProvider, { store }, h(App)));
  return { html, state: store.dehydrate() };
}
