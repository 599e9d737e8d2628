// Take everything with you: an export is started from the Export page, is
// made in the background (the page follows it), and its ZIP file downloads
// through a fresh link. A second export waits until the first is done.
import { expect, signUp, test, uploadReady } from "./helpers";

test("a customer exports every photo and downloads the ZIP file", async ({ page }) => {
  await signUp(page, "ann-export");
  for (const seed of [201, 202]) await uploadReady(page, seed);

  await page.getByRole("link", { name: "Export", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Export everything" })).toBeVisible();
  await expect(page.getByText("You have not exported yet.")).toBeVisible();
  await page.getByRole("button", { name: "Start an export" }).click();
  const exports = page.getByRole("list", { name: "Your exports" }).getByRole("listitem");
  await expect(exports).toHaveCount(1);
  // The page looks again while it is being made.
  await expect(exports.first()).toContainText("Ready to download", { timeout: 30_000 });
  await expect(exports.first()).toContainText("2 of 2 photos written, in 1 ZIP file.");
  await expect(page.getByRole("button", { name: "Start an export" })).toBeEnabled();

  await exports.first().getByRole("button", { name: "Get the download links" }).click();
  const link = exports.first().getByRole("link", { name: /^Part 1 of 1/ });
  await expect(link).toBeVisible();
  const zip = await page.request.get((await link.getAttribute("href"))!);
  expect(zip.status()).toBe(200);
  const bytes = await zip.body();
  expect(bytes.subarray(0, 4).toString("hex")).toBe("504b0304"); // a ZIP's first local header
  expect(bytes.includes(Buffer.from("manifest.json"))).toBe(true);
});
