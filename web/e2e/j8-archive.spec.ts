// Journey 8 (M29-M30): a customer lowers their archive threshold to one
// photo on the profile page; the next day's archive sweep (the local
// stack's clock moved a day, POST /_local/clock) emails a proposal; on the
// archive page they see their photos, keep one online, quote a DVD at a
// lab and place the order, which shows the disc.
import { accessibilityProblems, expect, fillAddress, mailTo, newLab, signUp, test, uploadReady } from "./helpers";

test("a customer past a lowered threshold is offered a disc of their oldest photos and orders one", async ({ page }) => {
  const lab = await newLab(page);
  const email = await signUp(page, "ann-archive");
  await uploadReady(page, 81);
  await uploadReady(page, 82);

  await page.goto("/#/profile");
  const thresholds = page.getByRole("form", { name: "Archive to a disc" });
  await thresholds.getByLabel("Photos").fill("1");
  await thresholds.getByRole("button", { name: "Save archive thresholds" }).click();
  await expect(thresholds.getByText("Saved.")).toBeVisible();

  const moved = await page.request.post("/_local/clock", { data: { days: 1 }, timeout: 120_000 });
  expect(moved.status(), await moved.text()).toBe(200);
  await expect
    .poll(async () => (await mailTo(email)).filter((m) => m.subject.startsWith("Archive your oldest photos")).length)
    .toBe(1);

  await page.goto("/#/archive");
  await page.getByRole("link", { name: /^Proposal of/ }).click();
  const photos = page.getByRole("list", { name: "Photos offered" });
  await expect(photos.getByRole("listitem")).toHaveCount(2);
  await expect(photos.getByRole("img").first()).toHaveJSProperty("complete", true);
  expect(await accessibilityProblems(page)).toEqual([]);
  await page.screenshot({ path: `test-results/screens/proposal-${test.info().project.name}.png`, fullPage: true });
  const form = page.getByRole("form", { name: "Order a disc" });
  await form.getByLabel("Disc").selectOption("dvd");
  await form.getByLabel("Lab location").selectOption({ label: `${lab.location} (${lab.name})` });
  await photos.getByLabel("Keep online").first().check();
  await form.getByRole("button", { name: "Get a quote" }).click();
  const quote = page.getByRole("region", { name: "Quote" });
  await expect(quote).toContainText("DVD with 1 photo");
  await expect(quote).toContainText("¥500");

  await fillAddress(page);
  await page.getByRole("button", { name: "Place the order" }).click();
  await expect(page.locator(".order-status")).toHaveText("placed");
  await expect(page.locator(".archive-disc")).toContainText("DVD with 1 photo");
  await page.goto("/#/archive");
  await expect(page.getByRole("list", { name: "Proposals" })).toContainText("ordered");
});
