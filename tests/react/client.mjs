// Hydrates the server's HTML with the same store state, then gives the
// store its engine; the test then changes the subject through the store.
import { Engine } from "orgpolicy/web";
import { POLICY } from "./app.mjs";
import { hydrateThenLoad } from "./hydrate.mjs";

const store = await hydrateThenLoad();
store.setEngine(Engine.load(POLICY).engine);
window.engineReady = true;
