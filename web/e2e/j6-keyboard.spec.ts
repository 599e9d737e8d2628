// Journey 6: keyboard only. Register, confirm, log in, upload and open an
// image without a mouse; every control reached shows where focus is.
import { type Page } from "@playwright/test";
import { PASSWORD, expect, linkParam, newEmail, nthMail, photo, test } from "./helpers";

/** What has focus: its label, text or id. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return "";
    const label = el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null;
    return (label ?? el.getAttribute("aria-label") ?? el.textContent ?? el.id ?? "").trim();
  });
}

/** Presses Tab until what has focus is `name` (at most 80 times). */
async function tabTo(page: Page, name: string | RegExp): Promise<void> {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press("Tab");
    const now = await focused(page);
    if (typeof name === "string" ? now === name : name.test(now)) {
      // Focus is visible: an outline is drawn around it.
      const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
      const labelled = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const label = el.id ? document.querySelector(`label[for="${el.id}"]`) : null;
        return label ? getComputedStyle(label).outlineStyle : "none";
      });
      expect([outline, labelled].some((o) => o !== "none"), `focus on ${now} is visible`).toBe(true);
      return;
    }
  }
  throw new Error(`Tab never reached ${name}`);
}

/** Types an address and a password into the form whose Email field Tab reaches, and sends it. */
async function typeCredentials(page: Page, email: string): Promise<void> {
  await tabTo(page, "Email");
  await page.keyboard.type(email);
  await page.keyboard.press("Tab");
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press("Enter");
}

test("register, upload and open an image with the keyboard alone", async ({ page }) => {
  const email = newEmail("keys");
  const file = await photo(page, 91, "keyboard.jpg");
  await page.goto("/");
  await tabTo(page, "Register");
  await page.keyboard.press("Enter");
  // Each new page moves focus to its content; Tab on from there.
  await expect(page.locator("main")).toBeFocused();
  await typeCredentials(page, email);
  await expect(page.getByRole("heading", { name: "Confirm your email" })).toBeVisible();

  await tabTo(page, "Code from the email");
  await page.keyboard.type(linkParam(await nthMail(email, 1), "code"));
  await page.keyboard.press("Enter");
  await expect(page.getByText("Your email is confirmed.")).toBeVisible();
  await tabTo(page, "Log in");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "Log in" })).toBeVisible();
  await expect(page.locator("main")).toBeFocused();
  await typeCredentials(page, email);
  await expect(page.getByRole("heading", { name: "Your photos" })).toBeVisible();

  await tabTo(page, "Choose photos");
  const chooser = page.waitForEvent("filechooser");
  await page.keyboard.press("Space");
  await (await chooser).setFiles([file]);
  await expect(page.getByRole("list", { name: "Uploads" }).getByText("Ready")).toBeVisible();
  await tabTo(page, "Open");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "keyboard.jpg" })).toBeVisible();
  await expect(page.getByRole("img", { name: "Preview of keyboard.jpg" })).toBeVisible();
});
