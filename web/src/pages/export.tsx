// Take everything with you (X3): start a full export, watch it being made,
// and download its ZIP files through fresh links once it is done.
import { useEffect, useState } from "preact/hooks";
import { api, type Schemas } from "../api/client";
import { attempt, mapped } from "../api/call";
import { Problem } from "../components/form";
import { More, usePaged } from "../components/paged";

type Export = Schemas["ExportView"];
type PartUrl = Schemas["PartUrlView"];

function mib(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

const STATES: Record<Export["state"], string> = {
  queued: "Waiting to start",
  running: "Being made",
  done: "Ready to download",
  failed: "Could not be finished",
};

function Progress({ x }: { x: Export }) {
  if (x.state === "failed") return <p>{x.reason ?? "It stopped."} Start a new export when you are ready.</p>;
  if (x.images_total == null) return <p>Counting your photos…</p>;
  return (
    <p>
      {x.images_done} of {x.images_total} photos written
      {x.parts_total != null && `, in ${x.parts_total} ZIP file${x.parts_total === 1 ? "" : "s"}`}.
      {x.parts_expire_at && ` The files are removed on ${new Date(x.parts_expire_at).toLocaleDateString()}.`}
    </p>
  );
}

function Row({ x }: { x: Export }) {
  const [links, setLinks] = useState<PartUrl[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const fetchLinks = async () => {
    const r = await attempt(api.GET("/v1/exports/{id}/urls", { params: { path: { id: x.export_id } } }));
    if (!r.ok) return setProblem(r.message);
    setLinks(r.data.parts);
  };
  const made = new Date(x.created_at).toLocaleString();
  return (
    <li class="export" data-export={x.export_id}>
      <h2>Export of {made}</h2>
      <p>
        <strong>{STATES[x.state]}</strong>
      </p>
      <Progress x={x} />
      {x.state === "done" &&
        (links ? (
          <ul class="plain" aria-label={`Files of the export of ${made}`}>
            {links.map((l) => (
              <li key={l.part}>
                <a href={l.url} download>
                  Part {l.part} of {links.length} ({mib(l.bytes)})
                </a>
              </li>
            ))}
          </ul>
        ) : (
          <button type="button" onClick={() => void fetchLinks()}>
            Get the download links
          </button>
        ))}
      <Problem message={problem} />
    </li>
  );
}

export function ExportPage() {
  const [problem, setProblem] = useState<string | null>(null);
  const [key, setKey] = useState(() => crypto.randomUUID());
  const list = usePaged<Export>(
    async (cursor) =>
      mapped(await attempt(api.GET("/v1/exports", { params: { query: { cursor } } })), (d) => ({
        items: d.exports,
        next: d.next_cursor ?? null,
      })),
    [],
  );
  const working = list.items.some((x) => x.state === "queued" || x.state === "running");
  // While one is being made, look again every few seconds.
  useEffect(() => {
    if (!working) return;
    const t = setTimeout(list.reload, 2000);
    return () => clearTimeout(t);
  }, [working, list.items]);
  const start = async () => {
    const r = await attempt(api.POST("/v1/exports", { params: { header: { "Idempotency-Key": key } } }));
    if (!r.ok) return setProblem(r.message);
    setProblem(null);
    setKey(crypto.randomUUID());
    list.reload();
  };
  return (
    <section aria-labelledby="export-h">
      <h1 id="export-h">Export everything</h1>
      <p>
        One export holds every photo you keep here, as you uploaded it, each with a sidecar file of its details that
        photo apps read, and a record of your albums, shares, groups, orders, points and invoices. It is made in the
        background; we email you when it is ready, and the files stay for 7 days.
      </p>
      <button type="button" onClick={() => void start()} disabled={working}>
        Start an export
      </button>
      <Problem message={problem ?? list.problem} />
      <ul class="plain exports" aria-label="Your exports">
        {list.items.map((x) => (
          <Row key={x.export_id} x={x} />
        ))}
      </ul>
      <More list={list as never} empty="You have not exported yet." />
    </section>
  );
}
