// Journey 7: customers' text is only ever rendered as text. Hostile strings
// in a file name, keywords, event, people, place, an album name, a group
// name and the profile's name are shown as typed, and nothing runs.
import { type Page } from "@playwright/test";
import { expect, photo, signUp, test } from "./helpers";

const IMG = `<img src=x onerror="window.__pwned='img'">`;
const SCRIPT = `<script>window.__pwned='script'</script>`;

async function nothingRan(page: Page) {
  expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  expect(await page.locator("main script").count()).toBe(0);
}

test("hostile strings in every customer field are shown as text and run nothing", async ({ page }) => {
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await signUp(page, "mallory");

  const file = await photo(page, 77, `${IMG}.jpg`);
  await page.locator("#upload-files").setInputFiles([file]);
  const uploads = page.getByRole("list", { name: "Uploads" });
  await expect(uploads.getByText(`${IMG}.jpg`)).toBeVisible();
  await expect(uploads.getByText("Ready")).toBeVisible();
  await nothingRan(page);

  await page.getByRole("list", { name: "Photos" }).getByRole("link").first().click();
  await page.getByLabel("Event", { exact: true }).fill(SCRIPT);
  await page.getByLabel("Keywords", { exact: true }).fill(`${IMG}, ${SCRIPT}`);
  await page.getByLabel("People", { exact: true }).fill(IMG);
  await page.getByLabel("Place", { exact: true }).fill(SCRIPT);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText("Saved.")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Event", { exact: true })).toHaveValue(SCRIPT);
  await expect(page.getByLabel("Keywords", { exact: true })).toHaveValue(`${IMG}, ${SCRIPT}`);
  await nothingRan(page);

  await page.goto("/#/albums");
  await page.getByLabel("New album name").fill(IMG);
  await page.getByRole("button", { name: "Create album" }).click();
  await expect(page.getByRole("heading", { name: IMG })).toBeVisible();
  await page.goto("/#/albums");
  await expect(page.getByRole("link", { name: IMG })).toBeVisible();
  await nothingRan(page);

  await page.goto("/#/groups");
  await page.getByLabel("New group name").fill(SCRIPT);
  await page.getByRole("button", { name: "Create group" }).click();
  await expect(page.getByRole("heading", { name: SCRIPT })).toBeVisible();
  await nothingRan(page);

  await page.goto("/#/profile");
  await page.getByLabel("Name", { exact: true }).fill(IMG);
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByText("Saved.")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue(IMG);
  await nothingRan(page);

  // The search page and the gallery show them too, as text.
  await page.goto("/#/");
  await expect(page.getByRole("list", { name: "Photos" }).getByText(`${IMG}.jpg`)).toBeVisible();
  await nothingRan(page);
  expect(dialogs).toEqual([]);
});
