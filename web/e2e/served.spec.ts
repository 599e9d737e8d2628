// How the page is served: a Content-Security-Policy without inline script
// (and it holds: an injected inline script does not run), no Referer, and
// a deep link that still loads after a reload.
import { expect, test } from "./helpers";

test("the page is served with a CSP that allows no inline script, and the browser enforces it", async ({ page }) => {
  const response = await page.goto("/");
  const csp = response!.headers()["content-security-policy"] ?? "";
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toContain("unsafe-inline");
  expect(csp).not.toContain("unsafe-eval");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(response!.headers()["referrer-policy"]).toBe("no-referrer");

  const violations: string[] = [];
  page.on("console", (m) => m.text().includes("Content Security Policy") && violations.push(m.text()));
  await page.evaluate(() => {
    const s = document.createElement("script");
    s.textContent = "window.__inline = 1";
    document.body.append(s);
  });
  expect(await page.evaluate(() => (window as unknown as { __inline?: number }).__inline)).toBeUndefined();
  await expect.poll(() => violations.length).toBeGreaterThan(0);
});

test("a deep link loads after a reload", async ({ page }) => {
  await page.goto("/#/register");
  await page.reload();
  await expect(page.getByRole("heading", { name: "Create your account" })).toBeVisible();
});
