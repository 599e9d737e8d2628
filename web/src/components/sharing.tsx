// Who else sees an image or an album: grants to named customers, and share
// links (the token is shown once, as a link to copy).
import { useEffect, useState } from "preact/hooks";
import { api, type Schemas } from "../api/client";
import { attempt } from "../api/call";
import { Field, Note, Problem } from "./form";

export interface TargetRef {
  kind: "image" | "album";
  id: string;
}

const body = (t: TargetRef) => (t.kind === "image" ? { image_id: t.id } : { album_id: t.id });

export function Grants({ target }: { target: TargetRef }) {
  const [grants, setGrants] = useState<Schemas["GivenGrant"][]>([]);
  const [email, setEmail] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [note, setNote] = useState("");
  const load = async () => {
    const r = await attempt(api.GET("/v1/grants"));
    if (!r.ok) return setProblem(r.message);
    setGrants(r.data.grants.filter((g) => g.target.id === target.id));
  };
  useEffect(() => void load(), [target.id]);
  const add = async (e: Event) => {
    e.preventDefault();
    const r = await attempt(api.POST("/v1/grants", { body: { ...body(target), grantee_email: email.trim() } }));
    if (!r.ok) return setProblem(r.message);
    setProblem(null);
    setNote(`Shared with ${email.trim()}.`);
    setEmail("");
    await load();
  };
  const revoke = async (grantee: string) => {
    const r = await attempt(
      api.DELETE("/v1/grants/{target}/{grantee}", { params: { path: { target: target.id, grantee } } }),
    );
    if (!r.ok) return setProblem(r.message);
    setNote(`${grantee} can no longer see it.`);
    await load();
  };
  return (
    <section aria-labelledby={`grants-h-${target.id}`}>
      <h2 id={`grants-h-${target.id}`}>Shared with</h2>
      {grants.length === 0 ? (
        <p>Nobody yet.</p>
      ) : (
        <ul class="plain">
          {grants.map((g) => (
            <li key={g.grantee_email}>
              {g.grantee_email}{" "}
              <button type="button" class="small" onClick={() => void revoke(g.grantee_email)}>
                Stop sharing with {g.grantee_email}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={add}>
        <Field id={`grant-email-${target.id}`} label="Share with (email)" type="email" value={email} onInput={setEmail} required />
        <Problem message={problem} />
        <Note>{note}</Note>
        <button type="submit">Share</button>
      </form>
    </section>
  );
}

/** The page's own address for a link token. */
export function shareUrl(token: string): string {
  return `${window.location.origin}/#/shared/${token}`;
}

export function Links({ target }: { target: TargetRef }) {
  const [links, setLinks] = useState<Schemas["LinkView"][]>([]);
  const [fresh, setFresh] = useState<string | null>(null);
  const [hours, setHours] = useState("");
  const [original, setOriginal] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [note, setNote] = useState("");
  const load = async () => {
    const r = await attempt(api.GET("/v1/links"));
    if (!r.ok) return setProblem(r.message);
    setLinks(r.data.links.filter((l) => l.target.id === target.id));
  };
  useEffect(() => void load(), [target.id]);
  const make = async (e: Event) => {
    e.preventDefault();
    const h = hours.trim() ? Number(hours) : null;
    if (h !== null && (!Number.isInteger(h) || h <= 0)) return setProblem("Hours must be a whole number above 0.");
    const r = await attempt(
      api.POST("/v1/links", { body: { ...body(target), expires_in_hours: h, allow_original: original } }),
    );
    if (!r.ok) return setProblem(r.message);
    setProblem(null);
    setFresh(shareUrl(r.data.token));
    await load();
  };
  const revoke = async (id: string) => {
    const r = await attempt(api.DELETE("/v1/links/{id}", { params: { path: { id } } }));
    if (!r.ok) return setProblem(r.message);
    setNote("The link no longer opens anything.");
    await load();
  };
  const copy = async () => {
    if (!fresh) return;
    try {
      await navigator.clipboard.writeText(fresh);
      setNote("Link copied.");
    } catch {
      setNote("Select the link and copy it.");
    }
  };
  return (
    <section aria-labelledby={`links-h-${target.id}`}>
      <h2 id={`links-h-${target.id}`}>Share links</h2>
      {fresh && (
        <div class="fresh">
          <label for={`link-${target.id}`}>New link (shown once: copy it now)</label>
          <input id={`link-${target.id}`} readOnly value={fresh} onFocus={(e) => (e.currentTarget as HTMLInputElement).select()} />
          <button type="button" onClick={() => void copy()}>
            Copy link
          </button>
        </div>
      )}
      <ul class="plain">
        {links.map((l) => (
          <li key={l.link_id}>
            Link until {new Date(l.expires_at).toLocaleString()}
            {l.allow_original ? ", with the original" : ""}{" "}
            <button type="button" class="small" onClick={() => void revoke(l.link_id)}>
              Revoke link
            </button>
          </li>
        ))}
      </ul>
      <form onSubmit={make}>
        <Field id={`link-hours-${target.id}`} label="Expires after (hours, optional)" value={hours} onInput={setHours} inputMode="numeric" />
        <div class="check">
          <input id={`link-original-${target.id}`} type="checkbox" checked={original} onChange={(e) => setOriginal((e.currentTarget as HTMLInputElement).checked)} />
          <label for={`link-original-${target.id}`}>Let link holders download the original (without its location)</label>
        </div>
        <Problem message={problem} />
        <Note>{note}</Note>
        <button type="submit">Make a share link</button>
      </form>
    </section>
  );
}
