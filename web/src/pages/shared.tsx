// What others shared: grants the customer holds, and a share link opened
// by anyone, without an account (#/shared/<token>: the token stays in the
// fragment, never sent to a server but as the api call's path).
import { useEffect, useState } from "preact/hooks";
import { api, type Schemas } from "../api/client";
import { attempt, mapped } from "../api/call";
import { Problem } from "../components/form";
import { More, usePaged } from "../components/paged";
import { Thumb } from "./gallery";
import { Attributes as ReadAttributes } from "../components/attributes";

type Received = Schemas["ReceivedGrant"];

function AlbumName({ id }: { id: string }) {
  const [name, setName] = useState<string | null>(null);
  useEffect(() => {
    void attempt(api.GET("/v1/albums/{id}", { params: { path: { id }, query: { limit: 1 } } })).then(
      (r) => r.ok && setName(r.data.name),
    );
  }, [id]);
  return <>{name ?? "Album"}</>;
}

export function SharedWithMe() {
  const [version, setVersion] = useState(0);
  const [problem, setProblem] = useState<string | null>(null);
  const list = usePaged<Received>(
    async (cursor) =>
      mapped(await attempt(api.GET("/v1/grants/received", { params: { query: { cursor } } })), (d) => ({
        items: d.grants,
        next: d.next_cursor ?? null,
      })),
    [version],
  );
  const decline = async (target: string) => {
    const r = await attempt(api.DELETE("/v1/grants/received/{target}", { params: { path: { target } } }));
    if (!r.ok) return setProblem(r.message);
    setVersion((v) => v + 1);
  };
  return (
    <section aria-labelledby="received-h">
      <h1 id="received-h">Shared with you</h1>
      <Problem message={list.problem ?? problem} />
      <ul class="gallery" aria-label="Shared with you">
        {list.items.map((g) => (
          <li class="tile" key={g.target.id}>
            {g.target.kind === "album" ? (
              <a href={`#/albums/${encodeURIComponent(g.target.id)}`} class="album-tile">
                Album: <AlbumName id={g.target.id} />
              </a>
            ) : (
              <a href={`#/images/${encodeURIComponent(g.target.id)}`} aria-label="Open shared photo">
                <Thumb id={g.target.id} ready />
              </a>
            )}
            <button type="button" class="small" onClick={() => void decline(g.target.id)}>
              Remove from my list
            </button>
          </li>
        ))}
      </ul>
      <More list={list as never} empty="Nobody has shared anything with you yet." />
    </section>
  );
}

async function linkThumb(token: string, id: string): Promise<string | null> {
  const r = await attempt(api.GET("/v1/shared/{token}/images/{id}/urls", { params: { path: { token, id } } }));
  return r.ok ? (r.data.thumbnail ?? null) : null;
}

function LinkImage({ token, image }: { token: string; image: Schemas["SharedImage"] }) {
  const [urls, setUrls] = useState<Schemas["ImageUrls"] | null>(null);
  useEffect(() => {
    void attempt(api.GET("/v1/shared/{token}/urls", { params: { path: { token } } })).then((r) => r.ok && setUrls(r.data));
  }, [token]);
  return (
    <article aria-labelledby="link-h">
      <h1 id="link-h">A photo shared with you</h1>
      {urls?.preview && <img class="preview" src={urls.preview} alt="The shared photo" />}
      {urls?.original && (
        <p>
          <a href={urls.original} download>
            Download the original
          </a>
        </p>
      )}
      <ReadAttributes attributes={image.attributes} />
      {image.printable && (
        <p>
          <a href={`#/order?link=${encodeURIComponent(token)}&image=${encodeURIComponent(image.image_id)}`}>Order prints of this photo</a>
        </p>
      )}
    </article>
  );
}

export function SharedLink({ token }: { token: string }) {
  const [view, setView] = useState<Schemas["SharedView"] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    void attempt(api.GET("/v1/shared/{token}", { params: { path: { token } } })).then((r) =>
      r.ok ? setView(r.data) : setProblem(r.message),
    );
  }, [token]);
  if (!view) return <Problem message={problem} />;
  if (!("album_id" in view)) return <LinkImage token={token} image={view} />;
  return (
    <section aria-labelledby="link-album-h">
      <h1 id="link-album-h">{view.name}</h1>
      <ul class="gallery" aria-label="Photos in this album">
        {view.images.map((i) => (
          <li class="tile" key={i.image_id}>
            <Thumb id={i.image_id} ready thumbnail={(id) => linkThumb(token, id)} />
          </li>
        ))}
      </ul>
    </section>
  );
}
