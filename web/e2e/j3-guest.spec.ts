// Journey 3: a guest orders from a share link and confirms by the emailed link.
import { expect, fillAddress, makePrintable, newEmail, newLab, nthMail, signUp, test, unique, uploadReady } from "./helpers";

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
  await guest.getByLabel("Print lab location").selectOption({ label: `${lab.location} (${lab.name})` });
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
  await guest.goto(href!);
  await guest.getByRole("button", { name: "Confirm" }).click();
  await expect(guest.getByRole("status")).toHaveText("The order is placed.");
  await guestContext.close();
});
