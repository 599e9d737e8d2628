// Archiving to a disc (M29-M30): the proposals the archive sweep emailed,
// one with its photos, and ordering a disc of it with some kept online.
import { useState } from "preact/hooks";
import { api, type Schemas } from "../api/client";
import { attempt, mapped } from "../api/call";
import { useCatalogue } from "../catalogue";
import { Problem } from "../components/form";
import { More, usePaged } from "../components/paged";
import { bytes, Quote } from "../components/quote";
import { PlaceOrder } from "../components/place-order";

type Disc = Schemas["Disc"];
const DISC: Record<Disc, string> = { cd: "CD (700 MB)", dvd: "DVD (4.7 GB)", bd: "Blu-ray (25 GB)" };

/** The day before `expires_on`: the last day a proposal stands. */
function lastDay(expiresOn: string): string {
  const d = new Date(`${expiresOn}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

function Discs({ discs }: { discs: Schemas["DiscView"][] }) {
  return (
    <ul class="discs">
      {discs
        .filter((d) => d.images > 0)
        .map((d) => (
          <li key={d.disc}>
            {DISC[d.disc]}: {d.images} photo{d.images === 1 ? "" : "s"}, {bytes(d.bytes)}
          </li>
        ))}
    </ul>
  );
}

function Standing({ p }: { p: Schemas["ProposalSummaryView"] }) {
  return (
    <>
      <span class="status">{p.status}</span>
      {p.status === "open" && <> until {lastDay(p.expires_on)}</>}
    </>
  );
}

export function Archive() {
  const list = usePaged<Schemas["ProposalSummaryView"]>(
    async (cursor) =>
      mapped(await attempt(api.GET("/v1/archive/proposals", { params: { query: { cursor } } })), (d) => ({
        items: d.proposals,
        next: d.next_cursor ?? null,
      })),
    [],
  );
  return (
    <section aria-labelledby="archive-h">
      <h1 id="archive-h">Archive to a disc</h1>
      <p>
        When your library reaches an archive threshold (see your profile), we offer to put your oldest photos on a disc that a lab
        writes and posts to you. The originals leave online storage only once the disc is written; their thumbnails stay.
      </p>
      <Problem message={list.problem} />
      <ul class="plain proposals" aria-label="Proposals">
        {list.items.map((p) => (
          <li key={p.proposal_id}>
            <a href={`#/archive/${p.proposal_id}`}>Proposal of {p.made_on}</a> <Standing p={p} />
            <Discs discs={p.discs} />
          </li>
        ))}
      </ul>
      <More list={list as never} empty="No proposals yet: one comes by email when your library reaches a threshold." />
    </section>
  );
}

export function ArchiveProposal({ id }: { id: string }) {
  const [head, setHead] = useState<Schemas["ProposalView"] | null>(null);
  const images = usePaged<Schemas["ProposedImage"]>(
    async (cursor) =>
      mapped(
        await attempt(api.GET("/v1/archive/proposals/{proposal_id}", { params: { path: { proposal_id: id }, query: { cursor } } })),
        (d) => {
          setHead(d);
          return { items: d.images, next: d.next_cursor ?? null };
        },
      ),
    [id],
  );
  const cat = useCatalogue();
  const [disc, setDisc] = useState<Disc | "">("");
  const [location, setLocation] = useState("");
  const [kept, setKept] = useState<Set<string>>(new Set());
  const [quote, setQuote] = useState<Schemas["QuoteView"] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  if (!head) return <Problem message={images.problem} />;
  const offered = head.discs.filter((d) => d.images > 0);
  // The first disc and location are shown and used until the customer
  // chooses (derived, not set by an effect).
  const chosenDisc = disc || offered[0]?.disc || "";
  const chosenLocation = location || cat?.locations[0]?.location || "";
  const keep = (image: string, on: boolean) =>
    setKept((k) => {
      const next = new Set(k);
      if (on) next.add(image);
      else next.delete(image);
      return next;
    });
  const ask = async (e: Event) => {
    e.preventDefault();
    if (!chosenDisc) return setProblem("Choose a disc.");
    if (!chosenLocation) return setProblem("Choose the lab that writes the disc.");
    const without = images.items.filter((i) => kept.has(i.image_id) && i.discs.includes(chosenDisc)).map((i) => i.image_id);
    const r = await attempt(
      api.POST("/v1/archive/proposals/{proposal_id}/quote", {
        params: { path: { proposal_id: id } },
        body: { disc: chosenDisc, location: chosenLocation, without },
      }),
    );
    if (!r.ok) return setProblem(r.message);
    setProblem(null);
    setQuote(r.data);
  };
  return (
    <section aria-labelledby="proposal-h">
      <p>
        <a href="#/archive">← Archive</a>
      </p>
      <h1 id="proposal-h">Proposal of {head.made_on}</h1>
      <p>
        Status: <Standing p={head} />. What each disc would hold, oldest first:
      </p>
      <Discs discs={head.discs} />
      {head.status === "open" && (
        <form onSubmit={(e) => void ask(e)} aria-label="Order a disc">
          <label for="archive-disc">Disc</label>
          <select id="archive-disc" value={chosenDisc} onChange={(e) => setDisc((e.currentTarget as HTMLSelectElement).value as Disc)}>
            {offered.map((d) => (
              <option key={d.disc} value={d.disc}>
                {DISC[d.disc]}
              </option>
            ))}
          </select>
          <label for="archive-location">Lab location</label>
          <select id="archive-location" value={chosenLocation} onChange={(e) => setLocation((e.currentTarget as HTMLSelectElement).value)}>
            {(cat?.locations ?? []).map((x) => (
              <option key={x.location} value={x.location}>
                {x.lab_name ? `${x.location} (${x.lab_name})` : x.location}
              </option>
            ))}
          </select>
          <Problem message={problem} />
          <button type="submit">Get a quote</button>
        </form>
      )}
      <ul class="gallery" aria-label="Photos offered">
        {images.items.map((i) => (
          <li key={i.image_id}>
            <a href={`#/images/${i.image_id}`}>
              <img src={i.thumbnail_url} alt={`Photo stored ${i.stored_at.slice(0, 10)}`} loading="lazy" />
            </a>
            <span>
              {bytes(i.bytes)}, on {i.discs.map((d) => DISC[d].split(" ")[0]).join(", ")}
            </span>
            {head.status === "open" && (
              <label>
                <input type="checkbox" checked={kept.has(i.image_id)} onChange={(e) => keep(i.image_id, (e.currentTarget as HTMLInputElement).checked)} />{" "}
                Keep online
              </label>
            )}
          </li>
        ))}
      </ul>
      <More list={images as never} empty="No photos." />
      {quote && <Quote quote={quote} />}
      {quote && <PlaceOrder key={quote.quote_id} quote={quote} />}
    </section>
  );
}
