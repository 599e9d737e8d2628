// The gallery loads thumbnails page by page as it scrolls (by cursor), and
// never a preview or an original until an image is opened.
import { countImageLoads, expect, scrollToEnd, signUp, test, uploadMany } from "./helpers";

test("scrolling a gallery of more than a page loads only thumbnails; opening one loads its preview", async ({ page }) => {
  test.setTimeout(240_000);
  await signUp(page, "scroller");
  const ids = await uploadMany(page, 35);
  const loads = countImageLoads(page);
  await page.reload();
  await scrollToEnd(page);
  const tiles = page.getByRole("list", { name: "Photos" }).locator("img");
  await expect(tiles).toHaveCount(ids.length);
  await expect.poll(() => loads.thumbs).toBe(ids.length);
  expect(loads.previews).toBe(0);
  expect(loads.originals).toBe(0);

  await page.getByRole("list", { name: "Photos" }).getByRole("link").first().click();
  await expect(page.getByRole("img", { name: /^Preview of/ })).toBeVisible();
  expect(loads.previews).toBe(1);
  expect(loads.originals).toBe(0);
});
