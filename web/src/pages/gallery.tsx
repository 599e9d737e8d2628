// The gallery: thumbnails in pages, the next page fetched by cursor as the
// end scrolls into view. Only thumbnails load here: a preview or an
// original loads only when an image is opened.
import { useState } from "preact/hooks";
import { api, type Schemas } from "../api/client";
import { attempt, mapped } from "../api/call";
import { thumbnailOf } from "../upload";
import { Problem } from "../components/form";
import { Uploader } from "../components/uploader";
import { More, useNear, usePaged } from "../components/paged";

type Image = Schemas["OwnImage"];
const PAGE = 30;

/** One thumbnail, asked for only once its tile comes near the screen. */
export function Thumb({ id, ready, thumbnail = thumbnailOf }: { id: string; ready: boolean; thumbnail?: (id: string) => Promise<string | null> }) {
  const [src, setSrc] = useState<string | null>(null);
  const [asked, setAsked] = useState(false);
  const ref = useNear<HTMLSpanElement>(() => {
    if (!asked && ready) {
      setAsked(true);
      void thumbnail(id).then(setSrc);
    }
  }, [asked, id, ready]);
  return (
    <span ref={ref} class="thumb-box">
      {src ? <img src={src} alt="" width={160} height={160} /> : <span class="thumb placeholder" aria-hidden="true" />}
    </span>
  );
}

function Tile({ image }: { image: Image }) {
  const name = image.file_name ?? image.attributes.event ?? "Photo";
  return (
    <li class="tile" data-image={image.image_id}>
      <a href={`#/images/${encodeURIComponent(image.image_id)}`}>
        <Thumb id={image.image_id} ready={image.status === "ready"} />
        <span class="caption">{name}</span>
        {image.status !== "ready" && <span class={`badge ${image.status}`}>{image.status}</span>}
      </a>
    </li>
  );
}

export function Gallery() {
  const [version, setVersion] = useState(0);
  const list = usePaged<Image>(async (cursor) => {
    const r = await attempt(api.GET("/v1/images", { params: { query: { limit: PAGE, cursor } } }));
    return mapped(r, (d) => ({ items: d.images, next: d.next_cursor ?? null }));
  }, [version]);
  return (
    <>
      <Uploader onSettled={() => setVersion((v) => v + 1)} />
      <section aria-labelledby="gallery-h">
        <h1 id="gallery-h">Your photos</h1>
        <Problem message={list.problem} />
        <ul class="gallery" aria-label="Photos">
          {list.items.map((i) => (
            <Tile key={i.image_id} image={i} />
          ))}
        </ul>
        <More list={list as never} empty="No photos yet. Upload some above." end="That's all your photos." />
      </section>
    </>
  );
}
