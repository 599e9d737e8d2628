// Search (M14) across exactly what the caller may see: keyword, event,
// person, place, camera and a date range.
import { useState } from "preact/hooks";
import { api, type Schemas } from "../api/client";
import { attempt, mapped } from "../api/call";
import { Field, Problem } from "../components/form";
import { More, usePaged } from "../components/paged";
import { Thumb } from "./gallery";

type Filters = { q: string; event: string; person: string; place: string; camera: string; from: string; to: string };
const EMPTY: Filters = { q: "", event: "", person: "", place: "", camera: "", from: "", to: "" };
const LABELS: Record<keyof Filters, string> = {
  q: "Keyword",
  event: "Event",
  person: "Person",
  place: "Place",
  camera: "Camera",
  from: "Taken from (YYYY-MM-DD)",
  to: "Taken until (YYYY-MM-DD)",
};

function Results({ filters }: { filters: Filters }) {
  const query = Object.fromEntries(Object.entries(filters).filter(([, v]) => v.trim()).map(([k, v]) => [k, v.trim()]));
  const list = usePaged<Schemas["SearchResult"]>(
    async (cursor) =>
      mapped(await attempt(api.GET("/v1/search", { params: { query: { ...query, cursor } } })), (d) => ({
        items: d.results,
        next: d.next_cursor ?? null,
      })),
    [JSON.stringify(query)],
  );
  return (
    <>
      <Problem message={list.problem} />
      <ul class="gallery" aria-label="Search results">
        {list.items.map((r) => (
          <li class="tile" key={r.image_id}>
            <a href={`#/images/${encodeURIComponent(r.image_id)}`}>
              <Thumb id={r.image_id} ready />
              <span class="caption">
                {r.taken_at ? `${r.taken_at.slice(0, 10)} · ` : ""}
                {r.relation === "own" ? "Yours" : r.printable ? `Printable${r.prices ? ` from ¥${Math.min(r.prices.L, r.prices["2L"])}` : ""}` : "Viewable"}
              </span>
            </a>
          </li>
        ))}
      </ul>
      <More list={list as never} empty="Nothing matches." end="No more results." />
    </>
  );
}

export function Search() {
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [filters, setFilters] = useState<Filters | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const submit = (e: Event) => {
    e.preventDefault();
    if (!Object.values(draft).some((v) => v.trim())) return setProblem("Give at least one thing to search for.");
    setProblem(null);
    setFilters({ ...draft });
  };
  return (
    <section aria-labelledby="search-h">
      <h1 id="search-h">Search</h1>
      <form onSubmit={submit} class="filters">
        {(Object.keys(LABELS) as Array<keyof Filters>).map((k) => (
          <Field key={k} id={`search-${k}`} label={LABELS[k]} value={draft[k]} onInput={(v) => setDraft({ ...draft, [k]: v })} />
        ))}
        <Problem message={problem} />
        <button type="submit">Search</button>
      </form>
      {filters && <Results filters={filters} />}
    </section>
  );
}
