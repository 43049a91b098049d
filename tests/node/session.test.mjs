// `Session` in Node (the `nodejs` build); see tests/js/session.mjs.
import { runSessionChecks } from "../js/session.mjs";
import { testChecks } from "./checks.mjs";
import { loadPackage } from "./corpus.mjs";

testChecks("session", runSessionChecks(loadPackage()));
