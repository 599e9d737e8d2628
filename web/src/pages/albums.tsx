// Albums: manual ones the customer makes, automatic ones classify keeps
// (by month, event, place, birthday and named dates); an album's images,
// its grants and share links.
import { useState } from "preact/hooks";
import { api, type Schemas } from "../api/client";
import { attempt, mapped } from "../api/call";
import { go } from "../router";
import { Field, Note, Problem } from "../components/form";
import { More, usePaged } from "../components/paged";
import { Grants, Links } from "../components/sharing";
import { Thumb } from "./gallery";

type Album = Schemas["AlbumView"];

export function Albums() {
  const [name, setName] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const list = usePaged<Album>(
    async (cursor) =>
      mapped(await attempt(api.GET("/v1/albums", { params: { query: { cursor } } })), (d) => ({
        items: d.albums,
        next: d.next_cursor ?? null,
      })),
    [],
  );
  const create = async (e: Event) => {
    e.preventDefault();
    const r = await attempt(api.POST("/v1/albums", { body: { name: name.trim() } }));
    if (!r.ok) return setProblem(r.message);
    go(`/albums/${encodeURIComponent(r.data.album_id)}`);
  };
  return (
    <section aria-labelledby="albums-h">
      <h1 id="albums-h">Albums</h1>
      <form onSubmit={create} class="inline">
        <Field id="album-name" label="New album name" value={name} onInput={setName} required />
        <Problem message={problem} />
        <button type="submit">Create album</button>
      </form>
      <Problem message={list.problem} />
      <ul class="plain albums" aria-label="Albums">
        {list.items.map((a) => (
          <li key={a.album_id}>
            <a href={`#/albums/${encodeURIComponent(a.album_id)}`}>{a.name}</a>{" "}
            <span class="muted">{a.kind === "auto" ? "automatic" : "yours"}</span>
          </li>
        ))}
      </ul>
      <More list={list as never} empty="No albums yet." />
    </section>
  );
}

export function AlbumPage({ id }: { id: string }) {
  const [album, setAlbum] = useState<Album | null>(null);
  const [mine, setMine] = useState(true);
  const [note, setNote] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const list = usePaged<Schemas["ImageView"]>(async (cursor) => {
    const r = await attempt(api.GET("/v1/albums/{id}", { params: { path: { id }, query: { cursor } } }));
    if (r.ok) {
      setAlbum(r.data);
      setMine(r.data.images.every((i) => "status" in i));
    }
    return mapped(r, (d) => ({ items: d.images, next: d.next_cursor ?? null }));
  }, [id, version]);
  const removeImage = async (image: string) => {
    const r = await attempt(api.DELETE("/v1/albums/{id}/images/{image}", { params: { path: { id, image } } }));
    if (!r.ok) return setProblem(r.message);
    setNote("Taken out of the album.");
    setVersion((v) => v + 1);
  };
  const [name, setName] = useState("");
  const rename = async (e: Event) => {
    e.preventDefault();
    const r = await attempt(api.PATCH("/v1/albums/{id}", { params: { path: { id } }, body: { name: name.trim() } }));
    if (!r.ok) return setProblem(r.message);
    setProblem(null);
    setNote("Renamed.");
    setName("");
    setAlbum(r.data);
  };
  const remove = async () => {
    const r = await attempt(api.DELETE("/v1/albums/{id}", { params: { path: { id } } }));
    if (!r.ok) return setProblem(r.message);
    go("/albums");
  };
  return (
    <section aria-labelledby="album-h">
      <p>
        <a href="#/albums">← Albums</a>
      </p>
      <h1 id="album-h">{album?.name ?? "Album"}</h1>
      <Problem message={list.problem ?? problem} />
      <Note>{note}</Note>
      <ul class="gallery" aria-label="Photos in this album">
        {list.items.map((i) => (
          <li class="tile" key={i.image_id}>
            <a href={`#/images/${encodeURIComponent(i.image_id)}`} aria-label={`Open ${"file_name" in i && i.file_name ? i.file_name : "photo"}`}>
              <Thumb id={i.image_id} ready={!("status" in i) || i.status === "ready"} />
            </a>
            {mine && album?.kind === "manual" && (
              <button type="button" class="small" onClick={() => void removeImage(i.image_id)}>
                Take out of album
              </button>
            )}
          </li>
        ))}
      </ul>
      <More list={list as never} empty="No photos in this album yet." />
      {album && mine && (
        <>
          <Grants target={{ kind: "album", id }} />
          <Links target={{ kind: "album", id }} />
          {album.kind === "manual" && (
            <form onSubmit={rename} class="inline">
              <Field id="album-rename" label="New name for this album" value={name} onInput={setName} required />
              <button type="submit">Rename</button>
            </form>
          )}
          {album.kind === "manual" && (
            <button type="button" class="danger" onClick={() => void remove()}>
              Delete this album (the photos stay)
            </button>
          )}
        </>
      )}
    </section>
  );
}

/** On an image's page: put it in one of the customer's manual albums. */
export function AddToAlbum({ image }: { image: string }) {
  const [album, setAlbum] = useState("");
  const [note, setNote] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const list = usePaged<Album>(
    async (cursor) =>
      mapped(await attempt(api.GET("/v1/albums", { params: { query: { cursor, limit: 100 } } })), (d) => ({
        items: d.albums.filter((a) => a.kind === "manual"),
        next: d.next_cursor ?? null,
      })),
    [],
  );
  const add = async (e: Event) => {
    e.preventDefault();
    if (!album) return setProblem("Choose an album first.");
    const r = await attempt(api.PUT("/v1/albums/{id}/images/{image}", { params: { path: { id: album, image } } }));
    if (!r.ok) return setProblem(r.message);
    setProblem(null);
    setNote("Added to the album.");
  };
  if (list.items.length === 0) return null;
  return (
    <form onSubmit={add} aria-labelledby="add-album-h">
      <h2 id="add-album-h">Albums</h2>
      <label for="add-album">Put it in an album</label>
      <select id="add-album" value={album} onChange={(e) => setAlbum((e.currentTarget as HTMLSelectElement).value)}>
        <option value="">Choose an album…</option>
        {list.items.map((a) => (
          <option key={a.album_id} value={a.album_id}>
            {a.name}
          </option>
        ))}
      </select>
      <Problem message={problem} />
      <Note>{note}</Note>
      <button type="submit">Add to album</button>
    </form>
  );
}
