// The string API's cache in Node (the `nodejs` build); see tests/js/cache.mjs.
import { runCacheChecks } from "../js/cache.mjs";
import { testChecks } from "./checks.mjs";
import { loadPackage } from "./corpus.mjs";

testChecks("cache", runCacheChecks(loadPackage()));
