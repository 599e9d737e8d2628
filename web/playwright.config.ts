// The browser journeys (issue 19): Debian's chromium, driven headless by
// Playwright, against the whole local stack that `make run` starts
// (e2e/stack.ts starts it once for the run). Never a downloaded browser.
import { defineConfig } from "@playwright/test";

const chromium = process.env.CHROMIUM ?? "/usr/bin/chromium";

export default defineConfig({
  testDir: "e2e",
  // One stack, two cores: one journey at a time.
  workers: 1,
  fullyParallel: false,
  // No test waits on a clock; these bound a hung step.
  timeout: 120_000,
  expect: { timeout: 30_000 },
  retries: 0,
  globalSetup: "./e2e/stack.ts",
  reporter: [["list"], ["./e2e/count-reporter.ts"]],
  outputDir: "test-results",
  use: {
    baseURL: process.env.PRINTVAULT_WEB,
    headless: true,
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: chromium,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [
    { name: "desktop", use: { viewport: { width: 1280, height: 900 } } },
    // The journeys again at a phone's width (375 px). Not the arrears one: it
    // moves the shared stack's clock two months each time it runs (the
    // archive one moves it a day, which no other journey minds).
    {
      name: "phone",
      testMatch: /(j1|j2|j3|j4|j6|j8|people)[^/]*\.spec\.ts$/,
      use: { viewport: { width: 375, height: 740 }, hasTouch: true },
    },
  ],
});
