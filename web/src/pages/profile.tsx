// The profile (M2), whom it is shared with (M4), what others share with
// the customer, the anniversary notice settings (M28) and the customer's
// own archive thresholds (M29).
import { useEffect, useState } from "preact/hooks";
import { api, type Schemas } from "../api/client";
import { attempt } from "../api/call";
import { Field, Note, Problem } from "../components/form";

const SHAREABLE = ["name", "contact_email", "postal_address", "birthday", "named_dates"] as const;

function ProfileForm() {
  const [p, setP] = useState<Record<string, string> | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [note, setNote] = useState("");
  useEffect(() => {
    void attempt(api.GET("/v1/profile")).then((r) => {
      if (!r.ok) return setProblem(r.message);
      const a = r.data.postal_address;
      setP({
        name: r.data.name ?? "",
        contact_email: r.data.contact_email ?? "",
        birthday: r.data.birthday ?? "",
        lines: a?.lines.join("\n") ?? "",
        city: a?.city ?? "",
        postal_code: a?.postal_code ?? "",
        country: a?.country ?? "",
      });
    });
  }, []);
  if (!p) return <Problem message={problem} />;
  const set = (k: string) => (v: string) => setP({ ...p, [k]: v });
  const submit = async (e: Event) => {
    e.preventDefault();
    const lines = (p.lines ?? "").split("\n").map((x) => x.trim()).filter(Boolean);
    const address = lines.length || p.city || p.postal_code
      ? { lines, city: p.city ?? "", postal_code: p.postal_code ?? "", country: (p.country ?? "").toUpperCase() }
      : null;
    const r = await attempt(
      api.PATCH("/v1/profile", {
        body: {
          name: p.name?.trim() || null,
          contact_email: p.contact_email?.trim() || null,
          birthday: p.birthday?.trim() || null,
          postal_address: address,
        },
      }),
    );
    if (!r.ok) return setProblem(r.message);
    setProblem(null);
    setNote("Saved.");
  };
  return (
    <form onSubmit={submit} aria-labelledby="profile-h">
      <h1 id="profile-h">Your profile</h1>
      <Field id="profile-name" label="Name" value={p.name ?? ""} onInput={set("name")} autoComplete="name" />
      <Field id="profile-contact" label="Contact email" type="email" value={p.contact_email ?? ""} onInput={set("contact_email")} />
      <Field id="profile-birthday" label="Birthday (YYYY-MM-DD)" value={p.birthday ?? ""} onInput={set("birthday")} />
      <div class="field">
        <label for="profile-lines">Street address (one line each)</label>
        <textarea id="profile-lines" rows={2} value={p.lines ?? ""} onInput={(e) => set("lines")((e.currentTarget as HTMLTextAreaElement).value)} />
      </div>
      <Field id="profile-city" label="City" value={p.city ?? ""} onInput={set("city")} />
      <Field id="profile-postal" label="Postal code" value={p.postal_code ?? ""} onInput={set("postal_code")} />
      <Field id="profile-country" label="Country (2 letters, like JP)" value={p.country ?? ""} onInput={set("country")} />
      <Problem message={problem} />
      <Note>{note}</Note>
      <button type="submit">Save profile</button>
    </form>
  );
}

function ProfileShares() {
  const [shares, setShares] = useState<Schemas["GivenProfileShare"][]>([]);
  const [email, setEmail] = useState("");
  const [fields, setFields] = useState<string[]>(["name"]);
  const [problem, setProblem] = useState<string | null>(null);
  const load = async () => {
    const r = await attempt(api.GET("/v1/profile/shares"));
    if (r.ok) setShares(r.data.shares);
  };
  useEffect(() => void load(), []);
  const add = async (e: Event) => {
    e.preventDefault();
    const r = await attempt(api.POST("/v1/profile/shares", { body: { reader_email: email.trim(), fields } }));
    if (!r.ok) return setProblem(r.message);
    setProblem(null);
    setEmail("");
    await load();
  };
  const remove = async (reader: string) => {
    const r = await attempt(api.DELETE("/v1/profile/shares/{reader}", { params: { path: { reader } } }));
    if (!r.ok) return setProblem(r.message);
    await load();
  };
  return (
    <section aria-labelledby="pshares-h">
      <h2 id="pshares-h">Who may read your profile</h2>
      <ul class="plain">
        {shares.map((s) => (
          <li key={s.reader_email}>
            {s.reader_email}: {s.fields.join(", ")}{" "}
            <button type="button" class="small" onClick={() => void remove(s.reader_email)}>
              Stop sharing with {s.reader_email}
            </button>
          </li>
        ))}
      </ul>
      <form onSubmit={add}>
        <Field id="pshare-email" label="Share with (email)" type="email" value={email} onInput={setEmail} required />
        <fieldset>
          <legend>Fields they may read</legend>
          {SHAREABLE.map((f) => (
            <div class="check" key={f}>
              <input
                id={`pshare-${f}`}
                type="checkbox"
                checked={fields.includes(f)}
                onChange={(e) =>
                  setFields((e.currentTarget as HTMLInputElement).checked ? [...fields, f] : fields.filter((x) => x !== f))
                }
              />
              <label for={`pshare-${f}`}>{f.replace("_", " ")}</label>
            </div>
          ))}
        </fieldset>
        <Problem message={problem} />
        <button type="submit">Share my profile</button>
      </form>
    </section>
  );
}

function Notices() {
  const [prefs, setPrefs] = useState<Schemas["Preferences"] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [note, setNote] = useState("");
  useEffect(() => {
    void attempt(api.GET("/v1/profile/anniversary-notices")).then((r) => (r.ok ? setPrefs(r.data) : setProblem(r.message)));
  }, []);
  const save = async (next: Schemas["Preferences"]) => {
    const r = await attempt(api.PUT("/v1/profile/anniversary-notices", { body: next }));
    if (!r.ok) return setProblem(r.message);
    setPrefs(r.data);
    setNote("Saved.");
  };
  if (!prefs) return <Problem message={problem} />;
  const muted = prefs.muted ?? [];
  const toggle = (key: string, on: boolean) => void save({ ...prefs, muted: on ? muted.filter((m) => m !== key) : [...muted, key] });
  return (
    <fieldset>
      <legend>Anniversary emails</legend>
      <div class="check">
        <input id="notices-on" type="checkbox" checked={prefs.enabled !== false} onChange={(e) => void save({ ...prefs, enabled: (e.currentTarget as HTMLInputElement).checked })} />
        <label for="notices-on">Email me a week before birthdays and anniversaries with photos of the day</label>
      </div>
      {["birthday", "on-this-day"].map((k) => (
        <div class="check" key={k}>
          <input id={`notice-${k}`} type="checkbox" checked={!muted.includes(k)} onChange={(e) => toggle(k, (e.currentTarget as HTMLInputElement).checked)} />
          <label for={`notice-${k}`}>{k === "birthday" ? "My birthday" : "Photos from this day in earlier years"}</label>
        </div>
      ))}
      <Problem message={problem} />
      <Note>{note}</Note>
    </fieldset>
  );
}

const GIB = 1024 ** 3;

/** The customer's own archive thresholds (M29): each only tightens the operator's. */
function ArchiveThresholds() {
  const [t, setT] = useState<Schemas["ArchiveThresholds"] | null>(null);
  const [form, setForm] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [note, setNote] = useState("");
  const show = (data: Schemas["ArchiveThresholds"]) => {
    setT(data);
    const own = data.own;
    setForm({
      gib: own.max_stored_bytes ? String(own.max_stored_bytes / GIB) : "",
      images: own.max_images ? String(own.max_images) : "",
      years: own.max_age_years ? String(own.max_age_years) : "",
      yearly: own.yearly_on ? `${String(own.yearly_on.month).padStart(2, "0")}-${String(own.yearly_on.day).padStart(2, "0")}` : "",
    });
  };
  useEffect(() => {
    void attempt(api.GET("/v1/profile/archive-thresholds")).then((r) => (r.ok ? show(r.data) : setProblem(r.message)));
  }, []);
  if (!t) return <Problem message={problem} />;
  const set = (k: string) => (v: string) => setForm({ ...form, [k]: v });
  const whole = (v: string) => (v.trim() === "" ? null : Number(v));
  const save = async (e: Event) => {
    e.preventDefault();
    setNote("");
    const yearly = form.yearly?.trim() ?? "";
    const md = /^(\d{1,2})-(\d{1,2})$/.exec(yearly);
    if (yearly !== "" && !md) return setProblem("Every year on: write the month and day as MM-DD, such as 02-29.");
    const gib = whole(form.gib ?? "");
    const body = {
      max_stored_bytes: gib === null ? null : Math.round(gib * GIB),
      max_images: whole(form.images ?? ""),
      max_age_years: whole(form.years ?? ""),
      yearly_on: md ? { month: Number(md[1]), day: Number(md[2]) } : null,
    };
    const r = await attempt(api.PUT("/v1/profile/archive-thresholds", { body }));
    if (!r.ok) return setProblem(r.message);
    setProblem(null);
    show(r.data);
    setNote("Saved.");
  };
  const a = t.applied;
  return (
    <form onSubmit={(e) => void save(e)} aria-label="Archive to a disc">
      <fieldset>
        <legend>Archive to a disc</legend>
        <p>
          When your storage reaches one of these, we offer to put your oldest photos on a disc and post it to you. Now: {a.max_stored_bytes / GIB} GiB, {a.max_images} photos, or photos
          older than {a.max_age_years} {a.max_age_years === 1 ? "year" : "years"}. Leave a box empty to keep ours; you can only lower them.
        </p>
        <Field id="archive-gib" label="Stored GiB" inputMode="numeric" value={form.gib ?? ""} onInput={set("gib")} />
        <Field id="archive-images" label="Photos" inputMode="numeric" value={form.images ?? ""} onInput={set("images")} />
        <Field id="archive-years" label="Oldest photo, years" inputMode="numeric" value={form.years ?? ""} onInput={set("years")} />
        <Field id="archive-yearly" label="Every year on (MM-DD)" value={form.yearly ?? ""} onInput={set("yearly")} />
        <Problem message={problem} />
        <Note>{note}</Note>
        <button type="submit">Save archive thresholds</button>
      </fieldset>
    </form>
  );
}

function ReadableProfile({ id }: { id: string }) {
  const [p, setP] = useState<Schemas["SharedProfile"] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    void attempt(api.GET("/v1/customers/{id}/profile", { params: { path: { id } } })).then((r) =>
      r.ok ? setP(r.data) : setProblem(r.message),
    );
  }, [id]);
  if (!p) return <Problem message={problem} />;
  const rows: Array<[string, string]> = [];
  if (p.name) rows.push(["Name", p.name]);
  if (p.contact_email) rows.push(["Contact email", p.contact_email]);
  if (p.birthday) rows.push(["Birthday", p.birthday]);
  if (p.postal_address) rows.push(["Address", [...p.postal_address.lines, p.postal_address.city, p.postal_address.postal_code, p.postal_address.country].join(", ")]);
  for (const d of p.named_dates ?? []) rows.push([d.label, d.date]);
  return (
    <dl class="facts shared-profile">
      {rows.map(([k, v]) => (
        <>
          <dt key={`${k}-t`}>{k}</dt>
          <dd key={`${k}-d`}>{v}</dd>
        </>
      ))}
    </dl>
  );
}

/** Profiles others let the customer read (M4): only the fields they chose. */
function SharedWithMe() {
  const [profiles, setProfiles] = useState<Schemas["ReadableProfile"][]>([]);
  useEffect(() => {
    void attempt(api.GET("/v1/profile/shared-with-me")).then((r) => r.ok && setProfiles(r.data.profiles));
  }, []);
  return (
    <section aria-labelledby="readable-h">
      <h2 id="readable-h">Profiles shared with you</h2>
      {profiles.length === 0 ? (
        <p>Nobody has shared their profile with you.</p>
      ) : (
        <ul class="plain" aria-label="Profiles shared with you">
          {profiles.map((p) => (
            <li key={p.customer_id}>
              <ReadableProfile id={p.customer_id} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function ProfilePage() {
  return (
    <section class="narrow">
      <ProfileForm />
      <ProfileShares />
      <Notices />
      <ArchiveThresholds />
      <SharedWithMe />
    </section>
  );
}
