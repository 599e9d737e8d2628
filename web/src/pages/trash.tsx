// The trash: photos deleted by their owner or by the retention sweep, kept
// 30 days (billed) before they are purged. Each can be restored or purged
// now; the whole trash can be emptied.
import { useState } from "preact/hooks";
import { api, type Schemas } from "../api/client";
import { attempt, mapped } from "../api/call";
import { Problem } from "../components/form";
import { More, usePaged } from "../components/paged";

type Trashed = Schemas["TrashedImage"];

function mib(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

function Row({ image: i, gone }: { image: Trashed; gone: () => void }) {
  const [problem, setProblem] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const path = { params: { path: { id: i.image_id } } };
  const restore = async () => {
    const r = await attempt(api.POST("/v1/trash/{id}/restore", path));
    if (!r.ok) return setProblem(r.message);
    gone();
  };
  const purge = async () => {
    const r = await attempt(api.DELETE("/v1/trash/{id}", path));
    if (!r.ok) return setProblem(r.message);
    gone();
  };
  const name = i.file_name ?? "An untitled photo";
  return (
    <li class="trashed" data-image={i.image_id}>
      <h2>{name}</h2>
      <p>
        {i.by === "retention" ? "Deleted by the storage rules" : "Deleted by you"} on{" "}
        {new Date(i.trashed_at).toLocaleDateString()}; {mib(i.bytes)}, billed until it is purged on {i.purge_on}.
      </p>
      <button type="button" onClick={() => void restore()}>
        Restore {name}
      </button>{" "}
      {asking ? (
        <>
          <button type="button" class="danger" onClick={() => void purge()}>
            Yes, delete {name} for good
          </button>{" "}
          <button type="button" onClick={() => setAsking(false)}>
            Keep it in the trash
          </button>
        </>
      ) : (
        <button type="button" onClick={() => setAsking(true)}>
          Delete now
        </button>
      )}
      <Problem message={problem} />
    </li>
  );
}

export function Trash() {
  const [problem, setProblem] = useState<string | null>(null);
  const [emptying, setEmptying] = useState(false);
  const list = usePaged<Trashed>(
    async (cursor) =>
      mapped(await attempt(api.GET("/v1/trash", { params: { query: { cursor } } })), (d) => ({
        items: d.images,
        next: d.next_cursor ?? null,
      })),
    [],
  );
  const empty = async () => {
    // One call purges a batch: call again while some are left.
    for (;;) {
      const r = await attempt(api.DELETE("/v1/trash", {}));
      if (!r.ok) return setProblem(r.message);
      if (!r.data.more) break;
    }
    setEmptying(false);
    list.reload();
  };
  return (
    <section aria-labelledby="trash-h">
      <h1 id="trash-h">Trash</h1>
      <p>
        Deleted photos wait here for 30 days before they are deleted for good. Restoring one brings it back with its
        details and albums; its grants and share links stay revoked.
      </p>
      <Problem message={problem ?? list.problem} />
      <ul class="plain trash" aria-label="Deleted photos">
        {list.items.map((i) => (
          <Row key={i.image_id} image={i} gone={list.reload} />
        ))}
      </ul>
      <More list={list as never} empty="The trash is empty." />
      {list.items.length > 0 &&
        (emptying ? (
          <p>
            Delete every photo in the trash for good?{" "}
            <button type="button" class="danger" onClick={() => void empty()}>
              Yes, empty the trash
            </button>{" "}
            <button type="button" onClick={() => setEmptying(false)}>
              Keep them
            </button>
          </p>
        ) : (
          <button type="button" onClick={() => setEmptying(true)}>
            Empty the trash
          </button>
        ))}
    </section>
  );
}
