// Many files at once, by picker or by drag and drop. Each shows its own
// progress bar, then its state: pending, ready with its thumbnail,
// rejected with the api's sentence, or a duplicate with a link.
import { useState } from "preact/hooks";
import { send, type Stage } from "../upload";

interface Item {
  key: number;
  name: string;
  stage: Stage;
}

// Files sent at once; the rest wait their turn.
const AT_ONCE = 3;
let keys = 0;

function Status({ item }: { item: Item }) {
  const s = item.stage;
  switch (s.kind) {
    case "asking":
      return <span class="state">Waiting…</span>;
    case "sending":
      return <span class="state">Uploading {Math.floor((100 * s.sent) / Math.max(1, s.total))}%</span>;
    case "pending":
      return <span class="state">Processing…</span>;
    case "ready":
      return (
        <span class="state ready">
          Ready · <a href={`#/images/${encodeURIComponent(s.imageId)}`}>Open</a>
        </span>
      );
    case "rejected":
      return <span class="state rejected">{s.reason}</span>;
    case "duplicate":
      return (
        <span class="state duplicate">
          You already have this photo: <a href={`#/images/${encodeURIComponent(s.of)}`}>open the one you have</a>
        </span>
      );
  }
}

function Row({ item }: { item: Item }) {
  const s = item.stage;
  const sent = s.kind === "sending" ? s.sent : s.kind === "asking" ? 0 : 1;
  const total = s.kind === "sending" ? Math.max(1, s.total) : 1;
  return (
    <li class={`upload upload-${s.kind}`} data-file={item.name}>
      {s.kind === "ready" && s.thumbnail ? (
        <img class="thumb" src={s.thumbnail} alt={`Thumbnail of ${item.name}`} width={96} height={96} />
      ) : (
        <span class="thumb placeholder" aria-hidden="true" />
      )}
      <span class="name">{item.name}</span>
      <progress max={total} value={sent} aria-label={`Upload of ${item.name}`} />
      <Status item={item} />
    </li>
  );
}

export function Uploader({ onSettled }: { onSettled: () => void }) {
  const [items, setItems] = useState<Item[]>([]);
  const [over, setOver] = useState(false);
  
  const update = (key: number, stage: Stage) =>
    setItems((all) => all.map((i) => (i.key === key ? { ...i, stage } : i)));

  const start = (files: File[]) => {
    const fresh = files.map((f) => ({ key: ++keys, name: f.name, stage: { kind: "asking" } as Stage, file: f }));
    setItems((all) => [...fresh.map(({ file: _f, ...i }) => i), ...all]);
    const queue = [...fresh];
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const { key, file } = next;
        await send(file, (s) => update(key, s));
        onSettled();
      }
    };
    for (let i = 0; i < Math.min(AT_ONCE, queue.length); i++) void worker();
  };

  return (
    <section class="uploader" aria-labelledby="upload-h">
      <h2 id="upload-h">Upload photos</h2>
      <div
        class={`drop${over ? " over" : ""}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          const files = Array.from(e.dataTransfer?.files ?? []);
          if (files.length) start(files);
        }}
      >
        <p>Drop JPEG, PNG or WebP photos here, or</p>
        <input
          id="upload-files"
          class="visually-hidden"
          type="file"
          multiple
          accept="image/jpeg,image/png,image/webp"
          onChange={(e) => {
            const el = e.currentTarget as HTMLInputElement;
            const files = Array.from(el.files ?? []);
            el.value = "";
            if (files.length) start(files);
          }}
        />
        <label class="button" for="upload-files">
          Choose photos
        </label>
      </div>
      {items.length > 0 && (
        <ul class="uploads" aria-label="Uploads">
          {items.map((i) => (
            <Row key={i.key} item={i} />
          ))}
        </ul>
      )}
    </section>
  );
}
