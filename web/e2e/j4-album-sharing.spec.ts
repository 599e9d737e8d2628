// Journey 4: an album is shared with a second customer, who sees it; the
// grant is revoked, and it is gone on reload.
import { expect, photo, signUp, test } from "./helpers";

test("an album shared with a second customer is seen, then revoked and gone on reload", async ({ browser }) => {
  const ann = await browser.newPage();
  const bob = await browser.newPage();
  await signUp(ann, "ann-album");
  const bobEmail = await signUp(bob, "bob-album");

  await ann.locator("#upload-files").setInputFiles([await photo(ann, 41)]);
  await expect(ann.getByRole("list", { name: "Uploads" }).getByText("Ready")).toBeVisible();

  await ann.goto("/#/albums");
  await ann.getByLabel("New album name").fill("Kyoto trip");
  await ann.getByRole("button", { name: "Create album" }).click();
  await expect(ann.getByRole("heading", { name: "Kyoto trip" })).toBeVisible();
  const albumUrl = ann.url();
  // Renamed, and back.
  await ann.getByLabel("New name for this album").fill("Kyoto");
  await ann.getByRole("button", { name: "Rename" }).click();
  await expect(ann.getByRole("heading", { name: "Kyoto", exact: true })).toBeVisible();
  await ann.getByLabel("New name for this album").fill("Kyoto trip");
  await ann.getByRole("button", { name: "Rename" }).click();
  await expect(ann.getByRole("heading", { name: "Kyoto trip" })).toBeVisible();

  // Put the photo in it from the photo's page.
  await ann.goto("/#/");
  await ann.getByRole("list", { name: "Photos" }).getByRole("link").first().click();
  await ann.getByLabel("Put it in an album").selectOption({ label: "Kyoto trip" });
  await ann.getByRole("button", { name: "Add to album" }).click();
  await expect(ann.getByText("Added to the album.")).toBeVisible();

  await ann.goto(albumUrl);
  await expect(ann.getByRole("list", { name: "Photos in this album" }).locator("img")).toHaveCount(1);
  await ann.getByLabel("Share with (email)").fill(bobEmail);
  await ann.getByRole("button", { name: "Share", exact: true }).click();
  await expect(ann.getByText(`Shared with ${bobEmail}.`)).toBeVisible();

  await bob.goto("/#/shared");
  const shared = bob.getByRole("list", { name: "Shared with you" });
  await expect(shared.getByRole("link", { name: /Kyoto trip/ })).toBeVisible();
  await shared.getByRole("link", { name: /Kyoto trip/ }).click();
  await expect(bob.getByRole("heading", { name: "Kyoto trip" })).toBeVisible();
  await expect(bob.getByRole("list", { name: "Photos in this album" }).locator("img")).toHaveCount(1);
  const bobsAlbumUrl = bob.url();

  await ann.getByRole("button", { name: `Stop sharing with ${bobEmail}` }).click();
  await expect(ann.getByText(`${bobEmail} can no longer see it.`)).toBeVisible();

  await bob.goto("/#/shared");
  await bob.reload();
  await expect(bob.getByText("Nobody has shared anything with you yet.")).toBeVisible();
  await bob.goto(bobsAlbumUrl);
  await bob.reload();
  await expect(bob.getByRole("alert").filter({ hasText: /not found/i })).toBeVisible();
});
