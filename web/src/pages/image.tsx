// One image: its preview (loaded only here). Its owner edits attributes,
// visibility and prices, shares it and deletes it; anyone else who may see
// it reads it, and orders prints of a printable one.
import { useEffect, useState } from "preact/hooks";
import { api, type Schemas } from "../api/client";
import { attempt } from "../api/call";
import { go } from "../router";
import { Field, Note, Problem } from "../components/form";
import { ClassAndPrices, Flags } from "../components/classify";
import { Grants, Links } from "../components/sharing";
import { Attributes as ReadAttributes } from "../components/attributes";
import { AddToAlbum } from "./albums";

type Own = Schemas["OwnImage"];

const list = (s: string) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);

function Attributes({ image, saved }: { image: Own; saved: (i: Own) => void }) {
  const a = image.attributes;
  const [event, setEvent] = useState(a.event ?? "");
  const [keywords, setKeywords] = useState((a.keywords ?? []).join(", "));
  const [people, setPeople] = useState((a.people ?? []).join(", "));
  const [place, setPlace] = useState(a.place?.name ?? "");
  const [takenAt, setTakenAt] = useState(a.taken_at ?? "");
  const [problem, setProblem] = useState<string | null>(null);
  const [note, setNote] = useState("");
  const id = image.image_id;
  const submit = async (e: Event) => {
    e.preventDefault();
    setNote("");
    const r = await attempt(
      api.PATCH("/v1/images/{id}", {
        params: { path: { id } },
        body: {
          attributes: {
            event: event.trim() || null,
            keywords: list(keywords),
            people: list(people),
            place: place.trim() ? { ...(a.place ?? {}), name: place.trim() } : null,
            taken_at: takenAt.trim() || null,
          },
        },
      }),
    );
    if (!r.ok) return setProblem(r.message);
    setProblem(null);
    setNote("Saved.");
    if ("status" in r.data) saved(r.data as Own);
  };
  return (
    <form onSubmit={submit} aria-labelledby="attrs-h">
      <h2 id="attrs-h">About this photo</h2>
      <Field id="attr-event" label="Event" value={event} onInput={setEvent} />
      <Field id="attr-keywords" label="Keywords" value={keywords} onInput={setKeywords} hint="Separate keywords with commas." />
      <Field id="attr-people" label="People" value={people} onInput={setPeople} hint="Separate names with commas." />
      <Field id="attr-place" label="Place" value={place} onInput={setPlace} />
      <Field id="attr-taken" label="Taken at" value={takenAt} onInput={setTakenAt} hint="YYYY-MM-DDTHH:MM:SS, the camera's local time." />
      <p>Camera: {a.camera ?? "unknown"}</p>
      <Problem message={problem} />
      <Note>{note}</Note>
      <button type="submit">Save</button>
    </form>
  );
}

function Delete({ id }: { id: string }) {
  const [asking, setAsking] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const remove = async () => {
    const r = await attempt(api.DELETE("/v1/images/{id}", { params: { path: { id } } }));
    if (!r.ok) return setProblem(r.message);
    go("/");
  };
  return (
    <section aria-labelledby="delete-h">
      <h2 id="delete-h">Delete</h2>
      {asking ? (
        <p>
          Delete this photo? It waits in the <a href="#/trash">trash</a> for 30 days, where you can restore it.{" "}
          <button type="button" class="danger" onClick={() => void remove()}>
            Yes, delete it
          </button>{" "}
          <button type="button" onClick={() => setAsking(false)}>
            Keep it
          </button>
        </p>
      ) : (
        <button type="button" onClick={() => setAsking(true)}>
          Delete this photo
        </button>
      )}
      <Problem message={problem} />
    </section>
  );
}

// An original archived on a disc (M32): where it is, and asking for it back.
function Archived({ id, archive }: { id: string; archive: NonNullable<Own["archive"]> }) {
  const [restore, setRestore] = useState(archive.restore ?? null);
  const [problem, setProblem] = useState<string | null>(null);
  const ask = async () => {
    const r = await attempt(api.POST("/v1/images/{id}/restore", { params: { path: { id } }, body: {} }));
    if (!r.ok) return setProblem(r.message);
    setRestore(r.data.restore);
  };
  const readable = restore?.until && new Date(restore.until) > new Date();
  return (
    <section aria-labelledby="archived-h">
      <h2 id="archived-h">On disc {archive.disc_id}</h2>
      <p>
        The original is on your archive disc and in cold storage since {new Date(archive.at).toLocaleDateString()}; its
        thumbnail and preview stay here.
      </p>
      {readable ? (
        <p>The original can be downloaded until {new Date(restore.until as string).toLocaleString()}.</p>
      ) : restore && !restore.ready_at ? (
        <p>Coming back from cold storage (asked {new Date(restore.requested_at).toLocaleString()}): we email you when it is ready, within 12 hours.</p>
      ) : (
        <button type="button" onClick={() => void ask()}>
          Ask for the original back
        </button>
      )}
      <Problem message={problem} />
    </section>
  );
}

function Theirs({ image, preview }: { image: Schemas["SharedImage"]; preview: string | null }) {
  return (
    <article class="image" aria-labelledby="image-h">
      <h1 id="image-h">Shared photo</h1>
      {preview && <img class="preview" src={preview} alt="Preview of the shared photo" />}
      <ReadAttributes attributes={image.attributes} />
      {image.printable && image.prices && (
        <p>
          Prints: L ¥{image.prices.L}, 2L ¥{image.prices["2L"]} each, plus the print fee.{" "}
          <a href={`#/order?image=${encodeURIComponent(image.image_id)}`}>Order prints</a>
        </p>
      )}
    </article>
  );
}

export function ImagePage({ id }: { id: string }) {
  const [image, setImage] = useState<Schemas["ImageView"] | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    void (async () => {
      const r = await attempt(api.GET("/v1/images/{id}", { params: { path: { id } } }));
      if (!r.ok) return setProblem(r.message);
      setImage(r.data);
      const u = await attempt(api.GET("/v1/images/{id}/urls", { params: { path: { id } } }));
      if (u.ok) setPreview(u.data.preview ?? null);
    })();
  }, [id]);
  if (!image) {
    return (
      <section>
        <h1>Photo</h1>
        <Problem message={problem} />
        {!problem && <p>Loading…</p>}
      </section>
    );
  }
  if (!("status" in image)) return <Theirs image={image} preview={preview} />;
  const title = image.file_name ?? "Photo";
  return (
    <article class="image" aria-labelledby="image-h">
      <p>
        <a href="#/">← All photos</a>
      </p>
      <h1 id="image-h">{title}</h1>
      {preview ? <img class="preview" src={preview} alt={`Preview of ${title}`} /> : <p>No preview yet ({image.status}).</p>}
      <dl class="facts">
        <dt>Status</dt>
        <dd>{image.status}</dd>
        <dt>Size</dt>
        <dd>{image.width && image.height ? `${image.width} × ${image.height} px` : "unknown"}</dd>
        <dt>Uploaded</dt>
        <dd>{new Date(image.created_at).toLocaleString()}</dd>
        {image.rejection && (
          <>
            <dt>Refused</dt>
            <dd>{image.rejection.reason}</dd>
          </>
        )}
      </dl>
      {image.archive?.state === "archived" && <Archived id={id} archive={image.archive} />}
      {image.status === "ready" && !image.archive && (
        <p>
          <a href={`#/order?image=${encodeURIComponent(id)}`}>Order prints</a>
        </p>
      )}
      <Attributes image={image} saved={setImage} />
      <Flags image={image} saved={setImage} />
      <ClassAndPrices image={image} saved={setImage} />
      <AddToAlbum image={id} />
      <Grants target={{ kind: "image", id }} />
      <Links target={{ kind: "image", id }} />
      <Delete id={id} />
    </article>
  );
}
