// An image's own page: selection and location sharing kept, a grant to a
// named customer (who finds it under "Shared with me"), an automatic album
// made from its event, and deletion.
import { expect, signUp, test, unique, uploadReady } from "./helpers";

test("selection, location sharing, a grant, an automatic album and deletion of a photo", async ({ browser }) => {
  const ann = await browser.newPage();
  const bob = await browser.newPage();
  await signUp(ann, "ann-image");
  const bobEmail = await signUp(bob, "bob-image");
  await uploadReady(ann, 141);
  await ann.getByRole("list", { name: "Photos" }).getByRole("link").first().click();
  const imageUrl = ann.url();

  await ann.getByLabel("Selected: keep this photo").check();
  await ann.getByLabel(/^Show where it was taken/).check();
  const event = unique("Hanami");
  await ann.getByLabel("Event", { exact: true }).fill(event);
  await ann.getByRole("button", { name: "Save", exact: true }).click();
  await expect(ann.getByText("Saved.").first()).toBeVisible();
  await ann.reload();
  await expect(ann.getByLabel("Selected: keep this photo")).toBeChecked();
  await expect(ann.getByLabel(/^Show where it was taken/)).toBeChecked();

  // A grant of this one photo.
  await ann.getByLabel("Share with (email)").fill(bobEmail);
  await ann.getByRole("button", { name: "Share", exact: true }).click();
  await expect(ann.getByRole("button", { name: `Stop sharing with ${bobEmail}` })).toBeVisible();
  await bob.goto("/#/shared");
  await bob.getByRole("list", { name: "Shared with you" }).getByRole("link", { name: "Open shared photo" }).click();
  await expect(bob.getByRole("heading", { name: "Shared photo" })).toBeVisible();
  await expect(bob.getByRole("img", { name: "Preview of the shared photo" })).toBeVisible();
  await expect(bob.getByText(event)).toBeVisible();

  // classify files it in an automatic album named after its event.
  await ann.goto("/#/albums");
  const auto = ann.getByRole("list", { name: "Albums" }).getByRole("listitem").filter({ hasText: event });
  await expect(async () => {
    await ann.reload();
    await expect(auto).toContainText("automatic", { timeout: 1000 });
  }).toPass();

  // Deleted: gone from the gallery, and from Bob's list.
  await ann.goto(imageUrl);
  await ann.getByRole("button", { name: "Delete this photo" }).click();
  await ann.getByRole("button", { name: "Yes, delete it" }).click();
  await expect(ann.getByRole("heading", { name: "Your photos" })).toBeVisible();
  await expect(ann.getByText("No photos yet. Upload some above.")).toBeVisible();
  await bob.goto(imageUrl.replace(/^.*#/, "/#"));
  await bob.reload();
  await expect(bob.getByRole("alert").filter({ hasText: /not found/i })).toBeVisible();
});
