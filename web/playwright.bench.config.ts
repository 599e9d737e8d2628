// `make bench-web`: the page's budgets (issue 19), measured against the
// local stack in Debian's chromium. Not part of `make test`.
import { defineConfig } from "@playwright/test";
import base from "./playwright.config";

export default defineConfig({
  ...base,
  testDir: "bench",
  timeout: 900_000,
  reporter: [["list"], ["./e2e/count-reporter.ts"]],
});
