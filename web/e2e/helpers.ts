// What the journeys share: the stack's addresses, the local stack's mail,
// photos made by the browser itself, and an account made through the page.
import { test as base, expect, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

export const test = base.extend({
  // Set by the global setup (e2e/stack.ts), after the config was read.
  baseURL: async ({}, use) => use(process.env.PRINTVAULT_WEB),
});
export { expect };

export const PASSWORD = "correct horse battery staple";

let n = 0;
/** A fresh address for this run. */
export function newEmail(who: string): string {
  n += 1;
  return `${who}-${Date.now().toString(36)}-${n}@example.com`;
}

interface Mail {
  subject: string;
  body: string;
}

/** Every email the local stack sent to `to`, oldest first. */
export async function mailTo(to: string): Promise<Mail[]> {
  const r = await fetch(`${process.env.PRINTVAULT_MOTO}/_printvault/mail?to=${encodeURIComponent(to)}`);
  return (await r.json()) as Mail[];
}

/** Waits for the `count`th email to `to`, and returns it. */
export async function nthMail(to: string, count: number): Promise<Mail> {
  let found: Mail[] = [];
  await expect
    .poll(async () => (found = await mailTo(to)).length, { message: `an email to ${to}`, timeout: 30_000 })
    .toBeGreaterThanOrEqual(count);
  return found[count - 1]!;
}

/** A query parameter of the email's link (`code`, `token`). */
export function linkParam(mail: Mail, name: string): string {
  const m = new RegExp(`${name}=([A-Za-z0-9_-]+)`).exec(mail.body);
  if (!m) throw new Error(`no ${name}= in the email "${mail.subject}"`);
  return m[1]!;
}

/** A JPEG the browser draws: `seed` makes each one different. */
export async function photo(page: Page, seed: number, name = `photo-${seed}.jpg`) {
  const bytes = await page.evaluate(async (seed) => {
    const c = document.createElement("canvas");
    c.width = 640;
    c.height = 480;
    const g = c.getContext("2d")!;
    for (let i = 0; i < 24; i++) {
      const h = (seed * 97 + i * 37) % 360;
      g.fillStyle = `hsl(${h} 70% ${30 + ((seed + i) % 5) * 10}%)`;
      g.fillRect(((seed * 13 + i * 53) % 600), ((seed * 7 + i * 29) % 440), 40 + i * 9, 30 + i * 7);
    }
    const blob = await new Promise<Blob>((ok) => c.toBlob((b) => ok(b!), "image/jpeg", 0.9));
    return Array.from(new Uint8Array(await blob.arrayBuffer()));
  }, seed);
  return { name, mimeType: "image/jpeg", buffer: Buffer.from(bytes) };
}

/** Registers through the page, confirms with the emailed code, and logs in. */
export async function signUp(page: Page, who: string): Promise<string> {
  const email = newEmail(who);
  await page.goto("/#/register");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Register" }).click();
  await expect(page.getByRole("heading", { name: "Confirm your email" })).toBeVisible();
  const code = linkParam(await nthMail(email, 1), "code");
  await page.getByLabel("Code from the email").fill(code);
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByText("Your email is confirmed.")).toBeVisible();
  await logIn(page, email);
  return email;
}

export async function logIn(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.goto("/#/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("heading", { name: "Your photos" })).toBeVisible();
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** axe-core, run inside the page: the serious and critical violations. */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (c: Document) => Promise<{ violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: string[] }> }> }> } }).axe;
    const r = await axe.run(document);
    return r.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
}
