// Journey 2: one customer makes a photo printable at a price; a second
// finds it by keyword and orders 2 prints with a quote, pays through the
// local checkout, and sees the order dispatched; the lab reports the line,
// and the points show on both customers' pages.
import {
  chooseLocation,
  expect,
  fillAddress,
  labReports,
  makePrintable,
  newLab,
  signUp,
  test,
  unique,
  uploadReady,
} from "./helpers";

test("a second customer finds a printable photo, orders and pays, and both see the points", async ({ browser }) => {
  const ann = await browser.newPage();
  const bob = await browser.newPage();
  const lab = await newLab(ann);
  const keyword = unique("fuji");

  await signUp(ann, "ann-seller");
  await uploadReady(ann, 61);
  await ann.getByRole("list", { name: "Photos" }).getByRole("link").first().click();
  await makePrintable(ann, keyword, 150, 400);

  await signUp(bob, "bob-buyer");
  await bob.goto("/#/search");
  await bob.getByLabel("Keyword").fill(keyword);
  const results = bob.getByRole("list", { name: "Search results" });
  await expect(async () => {
    await bob.getByRole("button", { name: "Search" }).click();
    await expect(results.getByRole("link")).toHaveCount(1, { timeout: 1000 });
  }).toPass();
  await results.getByRole("link").first().click();
  await expect(bob.getByText(/Prints: L ¥150, 2L ¥400 each/)).toBeVisible();
  await bob.getByRole("link", { name: "Order prints" }).click();
  const orderPage = bob.url();

  await chooseLocation(bob, lab);
  await bob.getByLabel("L prints (89 × 127 mm)").fill("2");
  await bob.getByRole("button", { name: "Get a quote" }).click();
  const quote = bob.getByRole("region", { name: "Quote" });
  await expect(quote.getByRole("table")).toContainText("L-photo_paper");
  await expect(quote).toContainText("Total");
  await fillAddress(bob);
  await bob.getByRole("button", { name: "Place the order" }).click();
  await expect(bob.locator(".order-status")).toHaveText("placed");
  const order = bob.url().split("/orders/")[1]!;

  await bob.getByRole("button", { name: /^Pay ¥/ }).click();
  await expect(bob.getByRole("heading", { name: /Local test checkout/ })).toBeVisible();
  await bob.getByRole("button", { name: /^Pay ¥/ }).click();
  await expect(bob.getByRole("heading", { name: `Order ${order}` })).toBeVisible();
  await expect(async () => {
    await bob.getByRole("button", { name: "Refresh" }).click();
    await expect(bob.locator(".order-status")).toHaveText("dispatched", { timeout: 1000 });
  }).toPass();

  // Points are credited when a line ships (a printed line can still fail).
  await labReports(bob, lab.key, order, 1, { stage: "printed" });
  await labReports(bob, lab.key, order, 1, { stage: "shipped", carrier: "Yamato", tracking: "1234-5678" });
  await bob.getByRole("button", { name: "Refresh" }).click();
  await expect(bob.getByRole("table")).toContainText("shipped (Yamato 1234-5678)");
  for (const page of [bob, ann]) {
    await page.goto("/#/points");
    await expect(page.locator(".points-balance")).not.toHaveText("0");
    await expect(page.locator(".points-balance")).toHaveText(/^[1-9]\d*$/);
    await expect(page.getByRole("table", { name: "Points entries" }).getByRole("row")).not.toHaveCount(1);
  }

  // Bob spends a point on a second order: it comes off the money due.
  await bob.goto(orderPage);
  await chooseLocation(bob, lab);
  await bob.getByLabel("L prints (89 × 127 mm)").fill("1");
  await bob.getByRole("button", { name: "Get a quote" }).click();
  await expect(bob.getByRole("region", { name: "Quote" })).toContainText("Total");
  await fillAddress(bob);
  await expect(bob.getByText(/You have [1-9]\d* points\./)).toBeVisible();
  await bob.getByLabel("Points to spend (1 point = ¥1)").fill("1");
  await bob.getByRole("button", { name: "Place the order" }).click();
  await expect(bob.locator(".order-status")).toHaveText("placed");
  await expect(bob.getByText(/points spent 1; to pay/)).toBeVisible();
});
