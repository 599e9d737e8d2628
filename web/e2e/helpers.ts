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

export const OPERATOR_KEY = process.env.OPERATOR_KEY ?? "local-operator-key-0123456789abcdef";

/** A fresh name for this run (labs, locations, keywords). */
export function unique(what: string): string {
  n += 1;
  return `${what}-${Date.now().toString(36)}${n}`;
}

/** Registers a print lab for one new location, as the operator; returns its location and key. */
export async function newLab(page: Page): Promise<{ location: string; name: string; key: string }> {
  const id = unique("lab");
  const location = unique("loc");
  const name = `Lab ${id}`;
  const r = await page.request.put(`/v1/operator/labs/${id}`, {
    headers: { "x-operator-key": OPERATOR_KEY },
    data: { name, locations: [location] },
  });
  expect(r.status(), await r.text()).toBeLessThan(300);
  return { location, name, key: ((await r.json()) as { key: string }).key };
}

/**
 * On the order page: chooses the lab's location once the catalogue has
 * filled the list, and checks the choice holds. (The page once picked its
 * default in an effect a frame after the options appeared and overwrote a
 * choice made in between, sending the order to another test's lab.)
 */
export async function chooseLocation(page: Page, lab: { location: string; name: string }): Promise<void> {
  const select = page.getByLabel("Print lab location");
  await expect(select).not.toHaveValue("");
  await select.selectOption({ label: `${lab.location} (${lab.name})` });
  await expect(select).toHaveValue(lab.location);
}

/** The lab reports a line's stage, with its own key. */
export async function labReports(page: Page, key: string, order: string, line: number, report: object): Promise<void> {
  const r = await page.request.post(`/v1/lab/orders/${order}/lines/${line}/reports`, {
    headers: { "x-lab-key": key },
    data: report,
  });
  expect(r.status(), await r.text()).toBe(200);
}

/** Uploads one photo on the gallery page and waits until it is ready. */
export async function uploadReady(page: Page, seed: number): Promise<void> {
  const p = await photo(page, seed);
  await page.goto("/#/");
  await page.locator("#upload-files").setInputFiles([p]);
  await expect(page.getByRole("list", { name: "Uploads" }).locator(`li[data-file="${p.name}"]`).getByText("Ready")).toBeVisible();
}

/** On an own photo's page: keywords, then printable at these prices. */
export async function makePrintable(page: Page, keyword: string, l: number, twoL: number): Promise<void> {
  await page.getByLabel("Keywords", { exact: true }).fill(keyword);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText("Saved.").first()).toBeVisible();
  await page.getByLabel(/^Printable/).check();
  await page.getByLabel(/^L \(89/).fill(String(l));
  await page.getByLabel(/^2L \(127/).fill(String(twoL));
  await page.getByRole("button", { name: "Save visibility" }).click();
  await expect(page.locator("form", { hasText: "Who may see and print it" }).getByText("Saved.")).toBeVisible();
}

/** Fills the delivery address under a quote. */
export async function fillAddress(page: Page): Promise<void> {
  await page.getByLabel("Recipient's name").fill("Bob Example");
  await page.getByLabel("Postal code").fill("150-0002");
  await page.getByLabel("Prefecture or state").fill("Tokyo");
  await page.getByLabel("City or ward").fill("Shibuya-ku");
  await page.getByLabel("Street and building").fill("2-21-1 Shibuya");
}

/** The signed-in page's bearer token. */
export function tokenOf(page: Page): Promise<string> {
  return page.evaluate(() => JSON.parse(sessionStorage.getItem("printvault.session")!).token as string);
}

/** Uploads `count` photos through the api (not the page), as a fast way to fill a gallery. */
export async function uploadMany(page: Page, count: number, first = 1000): Promise<string[]> {
  const token = await tokenOf(page);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const p = await photo(page, first + i);
    const r = await page.request.post("/v1/uploads", {
      headers: { authorization: `Bearer ${token}` },
      data: { file_name: p.name, content_type: p.mimeType, content_length: p.buffer.length },
    });
    expect(r.status(), await r.text()).toBe(201);
    const ticket = (await r.json()) as { image_id: string; upload: { url: string; headers: Record<string, string> } };
    const put = await fetch(ticket.upload.url, { method: "PUT", headers: ticket.upload.headers, body: p.buffer });
    expect(put.status).toBe(200);
    ids.push(ticket.image_id);
  }
  // Until upload-finalise has made each one ready.
  for (const id of ids) {
    await expect
      .poll(async () => {
        const r = await page.request.get(`/v1/images/${id}`, { headers: { authorization: `Bearer ${token}` } });
        return ((await r.json()) as { status: string }).status;
      })
      .toBe("ready");
  }
  return ids;
}

/** Counts the image objects the page loads from S3, by kind. */
export function countImageLoads(page: Page) {
  const counts = { thumbs: 0, previews: 0, originals: 0, failed: [] as string[] };
  page.on("response", (r) => {
    if (r.status() >= 400) counts.failed.push(`${r.status()} ${new URL(r.url()).pathname}`);
  });
  page.on("requestfailed", (r) => counts.failed.push(`${r.failure()?.errorText} ${new URL(r.url()).pathname}`));
  page.on("request", (r) => {
    const path = new URL(r.url()).pathname;
    if (/\/thumbs\//.test(path)) counts.thumbs += 1;
    else if (/\/(previews|marked)\//.test(path)) counts.previews += 1;
    else if (/\/(originals|shared-originals|incoming)\//.test(path)) counts.originals += 1;
  });
  return counts;
}

/** Scrolls the gallery to its end, most of a screen at a time, as a person would. */
export async function scrollToEnd(page: Page): Promise<void> {
  const end = page.getByText("That's all your photos.");
  const step = Math.round((page.viewportSize()?.height ?? 800) * 0.8);
  // The end's line is on the page as soon as the last page is: scroll until it is on screen.
  const onScreen = async () => (await end.isVisible()) && (await end.evaluate((e) => e.getBoundingClientRect().bottom <= window.innerHeight));
  for (let i = 0; i < 1000 && !(await onScreen()); i++) {
    await page.mouse.wheel(0, step);
    await expect(page.getByText("Loading…")).toHaveCount(0);
    // Two frames: the scroll is drawn and the tiles' observers have run.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  }
  await expect(end).toBeInViewport();
}

/** Drops files on the upload zone, as a file manager would. */
export async function dropFiles(page: Page, files: Array<{ name: string; mimeType: string; buffer: Buffer }>): Promise<void> {
  const data = await page.evaluateHandle(
    (files) => {
      const dt = new DataTransfer();
      for (const f of files) dt.items.add(new File([new Uint8Array(f.bytes)], f.name, { type: f.mimeType }));
      return dt;
    },
    files.map((f) => ({ name: f.name, mimeType: f.mimeType, bytes: Array.from(f.buffer) })),
  );
  await page.locator(".drop").dispatchEvent("dragover", { dataTransfer: data });
  await page.locator(".drop").dispatchEvent("drop", { dataTransfer: data });
}
