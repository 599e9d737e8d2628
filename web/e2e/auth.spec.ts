// Accounts through the page: the throttling sentence, logging out, a 401
// ending the session, and moving to a new address.
import { expect, linkParam, logIn, newEmail, nthMail, signUp, test } from "./helpers";

test("too many failed logins show a sentence with the wait, never a status code", async ({ page }) => {
  const email = await signUp(page, "throttled");
  await page.getByRole("button", { name: "Log out" }).first().click();
  await expect(page.getByRole("heading", { name: "Log in" })).toBeVisible();
  const alert = page.getByRole("alert").filter({ hasText: /./ });
  // Each failure past the free ones locks the next try for a doubling delay:
  // keep failing until a try lands inside a lock (the first one past the
  // free failures does, unless the machine stalls for seconds).
  for (let i = 0; i < 12; i++) {
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(`wrong password ${i}`);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(alert.first()).toBeVisible();
    if (/Try again in/.test((await alert.first().textContent()) ?? "")) break;
  }
  await expect(alert.first()).toHaveText(/^Too many failed logins\. Try again in \d+ (second|minute)s?\.$/);
  await expect(alert.first()).not.toContainText("429");
});

test("logging out clears the token, and a 401 sends the page back to the login", async ({ page }) => {
  await signUp(page, "leaver");
  expect(await page.evaluate(() => sessionStorage.getItem("printvault.session"))).not.toBeNull();
  await page.getByRole("button", { name: "Log out" }).first().click();
  await expect(page.getByRole("heading", { name: "Log in" })).toBeVisible();
  expect(await page.evaluate(() => sessionStorage.getItem("printvault.session"))).toBeNull();

  // A token the api no longer accepts: the next call answers 401.
  await signUp(page, "revoked");
  const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem("printvault.session")!).token as string);
  const r = await page.request.delete("/v1/sessions/current", { headers: { authorization: `Bearer ${token}` } });
  expect(r.status()).toBe(204);
  await page.goto("/#/albums");
  await expect(page.getByRole("heading", { name: "Log in" })).toBeVisible();
  expect(await page.evaluate(() => sessionStorage.getItem("printvault.session"))).toBeNull();
});

test("a customer moves their account to a new address by its code", async ({ page }) => {
  const old = await signUp(page, "mover");
  const fresh = newEmail("moved");
  await page.goto("/#/account");
  await page.getByLabel("New email").fill(fresh);
  await page.getByRole("button", { name: "Send a code" }).click();
  await expect(page.getByText(`We sent a code to ${fresh}.`)).toBeVisible();
  const code = linkParam(await nthMail(fresh, 1), "code");
  await page.getByRole("link", { name: "I have a code" }).click();
  await page.getByLabel("Code from the email").fill(code);
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByText("Your email is confirmed.")).toBeVisible();
  await page.getByRole("button", { name: "Log out" }).first().click();
  await logIn(page, fresh);
  await page.getByRole("button", { name: "Log out" }).first().click();
  await page.getByLabel("Email").fill(old);
  await page.getByLabel("Password").fill("correct horse battery staple");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: /./ }).first()).toBeVisible();
});
