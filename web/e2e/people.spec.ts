// Groups and invitations (M3), profile shares (M4), anniversary notice
// settings (M28) and search with its filters (M14), through the page.
import { expect, signUp, test, unique, uploadReady } from "./helpers";

test("a group, a profile share, notice and archive settings and a filtered search between two customers", async ({ browser }) => {
  const ann = await browser.newPage();
  const bob = await browser.newPage();
  const annEmail = await signUp(ann, "ann-people");
  const bobEmail = await signUp(bob, "bob-people");

  // M3: Ann makes a group and invites Bob, who joins.
  await ann.goto("/#/groups");
  await ann.getByLabel("New group name").fill("Family");
  await ann.getByRole("button", { name: "Create group" }).click();
  await ann.getByLabel("Invite to Family (email)").fill(bobEmail);
  await ann.getByRole("button", { name: "Invite" }).click();
  await expect(ann.getByText(`Invited ${bobEmail}.`)).toBeVisible();
  await bob.goto("/#/groups");
  await bob.getByRole("button", { name: "Join Family" }).click();
  await expect(bob.getByRole("heading", { name: "Family" })).toBeVisible();
  await expect(bob.getByText(annEmail)).toBeVisible();

  // M4: Ann shares her name, and only her name, with Bob.
  await ann.goto("/#/profile");
  await ann.getByLabel("Name", { exact: true }).fill("Ann Sato");
  await ann.getByLabel("Birthday (YYYY-MM-DD)").fill("1990-04-01");
  await ann.getByRole("button", { name: "Save profile" }).click();
  await expect(ann.getByText("Saved.").first()).toBeVisible();
  await ann.getByLabel("Share with (email)").fill(bobEmail);
  await ann.getByRole("button", { name: "Share my profile" }).click();
  await expect(ann.getByRole("button", { name: `Stop sharing with ${bobEmail}` })).toBeVisible();
  await bob.goto("/#/profile");
  const readable = bob.getByRole("list", { name: "Profiles shared with you" });
  await expect(readable).toContainText("Ann Sato");
  await expect(readable).not.toContainText("1990-04-01");

  // M28: Ann turns off the birthday notice; it stays off.
  await ann.getByLabel("My birthday").uncheck();
  await expect(ann.getByText("Saved.").last()).toBeVisible();
  await ann.reload();
  await expect(ann.getByLabel("My birthday")).not.toBeChecked();
  await expect(ann.getByLabel(/^Email me a week before/)).toBeChecked();

  // M29: Ann tightens her archive thresholds; a looser one is refused with the reason.
  const archive = ann.getByRole("form", { name: "Archive to a disc" });
  await archive.getByLabel("Oldest photo, years").fill("9");
  await archive.getByRole("button", { name: "Save archive thresholds" }).click();
  await expect(archive.getByRole("alert")).toContainText(/max_age_years must be 1 to 3/i);
  await archive.getByLabel("Oldest photo, years").fill("1");
  await archive.getByLabel("Every year on (MM-DD)").fill("02-29");
  await archive.getByRole("button", { name: "Save archive thresholds" }).click();
  await expect(archive.getByText("Saved.")).toBeVisible();
  await ann.reload();
  await expect(ann.getByRole("form", { name: "Archive to a disc" })).toContainText("older than 1 year.");
  await expect(ann.getByLabel("Every year on (MM-DD)")).toHaveValue("02-29");

  // M14: Bob finds Ann's photo by its event and a date range, and not outside it.
  const event = unique("kyoto");
  await uploadReady(ann, 131);
  await ann.getByRole("list", { name: "Photos" }).getByRole("link").first().click();
  await ann.getByLabel("Event", { exact: true }).fill(event);
  await ann.getByLabel("Taken at", { exact: true }).fill("2025-04-01T10:00:00");
  await ann.getByRole("button", { name: "Save", exact: true }).click();
  await expect(ann.getByText("Saved.").first()).toBeVisible();
  await ann.getByLabel(/^Viewable/).check();
  await ann.getByRole("button", { name: "Save visibility" }).click();
  await expect(ann.locator("form", { hasText: "Who may see and print it" }).getByText("Saved.")).toBeVisible();

  await bob.goto("/#/search");
  await bob.getByLabel("Event").fill(event);
  await bob.getByLabel("Taken from (YYYY-MM-DD)").fill("2025-03-01");
  await bob.getByLabel("Taken until (YYYY-MM-DD)").fill("2025-04-30");
  const results = bob.getByRole("list", { name: "Search results" });
  await expect(async () => {
    await bob.getByRole("button", { name: "Search" }).click();
    await expect(results.getByRole("link")).toHaveCount(1, { timeout: 1000 });
  }).toPass();
  await expect(results).toContainText("2025-04-01");
  await bob.getByLabel("Taken until (YYYY-MM-DD)").fill("2025-03-31");
  await bob.getByRole("button", { name: "Search" }).click();
  await expect(bob.getByText("Nothing matches.")).toBeVisible();
});
