// Journey 1: a new customer registers, reads the code from the local
// stack's mail, logs in, uploads 3 photos and sees each progress bar finish
// and each thumbnail appear; one hostile file is rejected with its sentence.
// Files come both ways: by the file picker and dropped on the upload zone.
import { accessibilityProblems, dropFiles, expect, photo, signUp, test } from "./helpers";

test("a new customer registers, uploads three photos, and a hostile file is refused", async ({ page }) => {
  await signUp(page, "ann");
  expect(await accessibilityProblems(page)).toEqual([]);

  const photos = [await photo(page, 1), await photo(page, 2), await photo(page, 3)];
  const hostile = {
    name: "holiday.jpg",
    mimeType: "image/jpeg",
    buffer: Buffer.from("<html><script>alert(1)</script></html>".repeat(20)),
  };
  // Two by the picker, the third and the hostile file dropped on the page.
  await page.locator("#upload-files").setInputFiles(photos.slice(0, 2));
  await dropFiles(page, [photos[2]!, hostile]);

  const uploads = page.getByRole("list", { name: "Uploads" });
  for (const p of photos) {
    const row = uploads.locator(`li[data-file="${p.name}"]`);
    await expect(row.getByText("Ready")).toBeVisible();
    const bar = row.getByRole("progressbar", { name: `Upload of ${p.name}` });
    expect(await bar.evaluate((b: HTMLProgressElement) => b.value === b.max)).toBe(true);
    const thumb = row.getByRole("img", { name: `Thumbnail of ${p.name}` });
    await expect(thumb).toBeVisible();
    await expect.poll(() => thumb.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth > 0)).toBe(true);
  }
  const refused = uploads.locator('li[data-file="holiday.jpg"]');
  await expect(refused.getByText("The file is not a JPEG, PNG or WebP image.")).toBeVisible();

  // The same photo again is a duplicate, with a link to the one they have.
  await page.locator("#upload-files").setInputFiles([{ ...photos[0]!, name: "again.jpg" }]);
  const again = uploads.locator('li[data-file="again.jpg"]');
  await expect(again.getByText("You already have this photo:")).toBeVisible();
  await expect(again.getByRole("link", { name: "open the one you have" })).toHaveAttribute("href", /^#\/images\/img_/);

  // The gallery holds the three, each with its thumbnail, and the refused one marked.
  const gallery = page.getByRole("list", { name: "Photos" });
  for (const p of photos) {
    const tile = gallery.getByRole("link", { name: p.name });
    // Thumbnails load as their tiles come near the screen.
    await tile.scrollIntoViewIfNeeded();
    await expect(tile.locator("img")).toBeVisible();
  }
  await expect(gallery.getByRole("link", { name: "holiday.jpg" })).toContainText("rejected");
  expect(await accessibilityProblems(page)).toEqual([]);
});
