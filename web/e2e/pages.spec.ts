// Every main page at a desktop's and a phone's width: no serious or
// critical accessibility violation (axe-core, inside the page), nothing
// wider than the screen, and a screenshot of each (test-results/screens/).
import { accessibilityProblems, expect, photo, signUp, test } from "./helpers";

const WIDTHS = [
  { name: "desktop", width: 1280, height: 900 },
  { name: "phone", width: 375, height: 740 },
];

test("the main pages pass the accessibility scan and fit a phone", async ({ page }) => {
  test.setTimeout(240_000);
  // Pages nobody is logged in to.
  const open: Array<[string, string]> = [
    ["login", "/#/login"],
    ["register", "/#/register"],
  ];
  await signUp(page, "pages");
  await page.locator("#upload-files").setInputFiles([await photo(page, 101), await photo(page, 102)]);
  await expect(page.getByRole("list", { name: "Uploads" }).getByText("Ready")).toHaveCount(2);
  await page.goto("/#/albums");
  await page.getByLabel("New album name").fill("Summer");
  await page.getByRole("button", { name: "Create album" }).click();
  await expect(page.getByRole("heading", { name: "Summer" })).toBeVisible();
  const album = page.url().split("#")[1]!;
  await page.goto("/#/");
  await page.getByRole("list", { name: "Photos" }).getByRole("link").first().click();
  await expect(page.getByRole("img", { name: /^Preview of/ })).toBeVisible();
  const image = page.url().split("#")[1]!;

  const signedIn: Array<[string, string]> = [
    ["gallery", "/"],
    ["image", image],
    ["albums", "/albums"],
    ["album", album],
    ["search", "/search"],
    ["shared", "/shared"],
    ["orders", "/orders"],
    ["points", "/points"],
    ["invoices", "/invoices"],
    ["archive", "/archive"],
    ["trash", "/trash"],
    ["export", "/export"],
    ["groups", "/groups"],
    ["profile", "/profile"],
    ["account", "/account"],
  ];
  const problems: string[] = [];
  for (const size of WIDTHS) {
    await page.setViewportSize({ width: size.width, height: size.height });
    for (const [name, path] of signedIn) {
      await page.goto(`/#${path}`);
      await expect(page.locator("main h1").first()).toBeVisible();
      await page.waitForLoadState("networkidle");
      for (const p of await accessibilityProblems(page)) problems.push(`${name} (${size.name}): ${p}`);
      const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (wide > 1) problems.push(`${name} (${size.name}): ${wide}px wider than the screen`);
      await page.screenshot({ path: `test-results/screens/${name}-${size.name}.png`, fullPage: true });
    }
  }
  const context = await page.context().browser()!.newContext({ baseURL: process.env.PRINTVAULT_WEB });
  const anonymous = await context.newPage();
  for (const size of WIDTHS) {
    await anonymous.setViewportSize({ width: size.width, height: size.height });
    for (const [name, path] of open) {
      await anonymous.goto(path);
      await expect(anonymous.locator("main h1").first()).toBeVisible();
      for (const p of await accessibilityProblems(anonymous)) problems.push(`${name} (${size.name}): ${p}`);
      await anonymous.screenshot({ path: `test-results/screens/${name}-${size.name}.png`, fullPage: true });
    }
  }
  await context.close();
  expect(problems).toEqual([]);
});
