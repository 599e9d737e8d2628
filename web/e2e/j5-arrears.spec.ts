// Journey 5: an account in arrears sees the banner, pays the invoice
// through the local checkout, and the banner goes. The local stack's clock
// moves two months (POST /_local/clock, the local runner's own route), so
// the billing sweep issues the month's invoice and its arrears date passes.
import { expect, logIn, signUp, test, uploadReady } from "./helpers";

test("an account in arrears sees the banner, pays, and the banner goes", async ({ page }) => {
  test.setTimeout(600_000);
  const email = await signUp(page, "carol-arrears");
  await uploadReady(page, 121);

  const moved = await page.request.post("/_local/clock", { data: { days: 62 }, timeout: 480_000 });
  expect(moved.status(), await moved.text()).toBe(200);

  // Sessions have long expired by then: log in again.
  await logIn(page, email).catch(async () => {
    await page.goto("/#/login");
    await logIn(page, email);
  });
  const banner = page.locator(".banner[role=alert]");
  await expect(banner).toBeVisible();
  await expect(banner).not.toContainText("402");
  await banner.getByRole("link", { name: "See and pay the unpaid invoice" }).click();
  await expect(page.getByRole("heading", { name: "Storage invoices" })).toBeVisible();
  const unpaid = page.locator(".invoice-overdue").first();
  const id = await unpaid.getAttribute("data-invoice");
  await unpaid.getByText("How the amount was reached").click();
  await expect(unpaid).toContainText("GiB-months");
  await unpaid.getByRole("button", { name: /^Pay ¥/ }).click();
  await expect(page.getByRole("heading", { name: /Local test checkout/ })).toBeVisible();
  await page.getByRole("button", { name: /^Pay ¥/ }).click();
  await expect(page.getByRole("heading", { name: "Storage invoices" })).toBeVisible();
  await expect(page.locator(`.invoice[data-invoice="${id}"] .status`)).toHaveText("paid");

  await page.goto("/#/");
  await expect(page.getByRole("list", { name: "Photos" }).locator("img")).toHaveCount(1);
  await expect(page.locator(".banner")).toHaveCount(0);
});
