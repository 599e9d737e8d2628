// Journey 3: a guest orders from a share link and confirms by the emailed
// link, then pays from the page and follows the order there.
import { chooseLocation, expect, fillAddress, makePrintable, newEmail, newLab, nthMail, signUp, test, unique, uploadReady } from "./helpers";

test("a guest orders from a share link and confirms by the emailed link", async ({ browser }) => {
  const ann = await browser.newPage();
  const lab = await newLab(ann);
  await signUp(ann, "ann-linker");
  await uploadReady(ann, 71);
  await ann.getByRole("list", { name: "Photos" }).getByRole("link").first().click();
  await makePrintable(ann, unique("guestkw"), 200, 500);
  await ann.getByRole("button", { name: "Make a share link" }).click();
  const link = await ann.getByLabel("New link (shown once: copy it now)").inputValue();
  expect(link).toMatch(/\/#\/shared\/[A-Za-z0-9_-]{43}$/);

  // A new browser context: no session, no storage.
  const guestContext = await browser.newContext({ baseURL: process.env.PRINTVAULT_WEB });
  const guest = await guestContext.newPage();
  await guest.goto(link);
  await expect(guest.getByRole("heading", { name: "A photo shared with you" })).toBeVisible();
  await guest.getByRole("link", { name: "Order prints of this photo" }).click();
  await expect(guest.getByText(/ordering as a guest/)).toBeVisible();
  await chooseLocation(guest, lab);
  await guest.getByLabel("2L prints (127 × 178 mm)").fill("1");
  await guest.getByRole("button", { name: "Get a quote" }).click();
  await expect(guest.getByRole("region", { name: "Quote" })).toContainText("2L-photo_paper");
  await fillAddress(guest);
  const email = newEmail("guest");
  await guest.getByLabel(/^Your email/).fill(email);
  await guest.getByRole("button", { name: "Place the order" }).click();
  await expect(guest.getByText(`We emailed a link to ${email}.`)).toBeVisible();

  const mail = await nthMail(email, 1);
  const href = /href="([^"]+orders\/guest\?token=[^"]+)"/.exec(mail.body)?.[1]?.replace(/&amp;/g, "&");
  expect(href, mail.body).toBeTruthy();
  // A mail scanner that follows the link and runs the page confirms nothing.
  const scanner = await guestContext.newPage();
  const confirms: string[] = [];
  scanner.on("request", (r) => r.url().includes("/v1/orders/guest/confirm") && confirms.push(r.url()));
  const token = new URL(href!).searchParams.get("token")!;
  await scanner.goto(`/#/guest?token=${token}`);
  await expect(scanner.getByRole("button", { name: "Confirm" })).toBeVisible();
  expect(confirms).toEqual([]);
  await scanner.close();

  await guest.goto(href!);
  await guest.getByRole("button", { name: "Confirm" }).click();
  await expect(guest.getByRole("status")).toHaveText("The order is placed.");

  // Then pays from the page, and follows the order there.
  await guest.getByRole("link", { name: /^Pay for it and follow it/ }).click();
  await guest.getByRole("button", { name: "Confirm" }).click();
  await expect(guest.locator(".order-status")).toHaveText("placed");
  expect(guest.url()).not.toContain("token=");
  await guest.getByRole("button", { name: /^Pay ¥/ }).click();
  await expect(guest.getByRole("heading", { name: /Local test checkout/ })).toBeVisible();
  await guest.getByRole("button", { name: /^Pay ¥/ }).click();
  await expect(guest.getByRole("heading", { name: /^Your order ord_/ })).toBeVisible();
  await expect(guest.locator(".order-status")).toHaveText(/paid|dispatching|dispatched/);
  await guestContext.close();
});
