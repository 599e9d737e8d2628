// The trash: a deleted photo waits there, is restored into the gallery,
// purged on its own, or with everything else when the trash is emptied.
import { expect, signUp, test, uploadReady } from "./helpers";

test("a deleted photo is restored from the trash, another purged, and the trash emptied", async ({ page }) => {
  await signUp(page, "ann-trash");
  for (const seed of [191, 192, 193]) await uploadReady(page, seed);
  const photos = page.getByRole("list", { name: "Photos" }).getByRole("link");
  await expect(photos).toHaveCount(3);
  for (let n = 3; n > 0; n--) {
    await page.goto("/#/");
    await photos.first().click();
    await page.getByRole("button", { name: "Delete this photo" }).click();
    await expect(page.getByRole("link", { name: "trash", exact: true })).toBeVisible();
    await page.getByRole("button", { name: "Yes, delete it" }).click();
    await expect(page.getByRole("heading", { name: "Your photos" })).toBeVisible();
    await expect(photos).toHaveCount(n - 1);
  }

  await page.getByRole("link", { name: "Trash", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Trash" })).toBeVisible();
  const trashed = page.getByRole("list", { name: "Deleted photos" }).getByRole("listitem");
  await expect(trashed).toHaveCount(3);
  await expect(trashed.first()).toContainText("Deleted by you");
  await expect(trashed.first()).toContainText("billed until it is purged on");

  // One back into the gallery.
  await page.getByRole("button", { name: "Restore photo-193.jpg" }).click();
  await expect(trashed).toHaveCount(2);
  await page.goto("/#/");
  await expect(photos).toHaveCount(1);

  // One purged now, after a second thought.
  await page.goto("/#/trash");
  const second = trashed.filter({ hasText: "photo-192.jpg" });
  await second.getByRole("button", { name: "Delete now" }).click();
  await second.getByRole("button", { name: "Keep it in the trash" }).click();
  await second.getByRole("button", { name: "Delete now" }).click();
  await second.getByRole("button", { name: "Yes, delete photo-192.jpg for good" }).click();
  await expect(trashed).toHaveCount(1);

  // The rest, by emptying the trash.
  await page.getByRole("button", { name: "Empty the trash" }).click();
  await page.getByRole("button", { name: "Yes, empty the trash" }).click();
  await expect(page.getByText("The trash is empty.")).toBeVisible();
  await page.reload();
  await expect(page.getByText("The trash is empty.")).toBeVisible();
  await page.goto("/#/");
  await expect(photos).toHaveCount(1);
});
