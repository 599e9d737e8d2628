// Who may see and print an image (M10), its prices within the operator's
// bounds (M11), the selection (M9) and location sharing.
import { useState } from "preact/hooks";
import { api, type Schemas } from "../api/client";
import { attempt } from "../api/call";
import { Field, Note, Problem } from "./form";
import { useCatalogue } from "../catalogue";

type Own = Schemas["OwnImage"];

const CLASSES: Array<{ value: Schemas["Class"]; label: string }> = [
  { value: "private", label: "Private: only you (and your groups)" },
  { value: "viewable", label: "Viewable: others see a marked preview" },
  { value: "printable", label: "Printable: others may order prints at your price" },
];

export function ClassAndPrices({ image, saved }: { image: Own; saved: (i: Own) => void }) {
  const [cls, setCls] = useState<Schemas["Class"]>(image.class);
  const [l, setL] = useState(String(image.prices?.L ?? ""));
  const [twoL, setTwoL] = useState(String(image.prices?.["2L"] ?? ""));
  const [problem, setProblem] = useState<string | null>(null);
  const [note, setNote] = useState("");
  const sizes = useCatalogue()?.sizes;
  const submit = async (e: Event) => {
    e.preventDefault();
    let prices: Schemas["Prices"] | null = null;
    if (cls === "printable") {
      const a = Number(l);
      const b = Number(twoL);
      if (!Number.isInteger(a) || !Number.isInteger(b) || !l.trim() || !twoL.trim()) {
        return setProblem("Give a price in whole yen for each size.");
      }
      prices = { L: a, "2L": b };
    }
    const r = await attempt(
      api.PUT("/v1/images/{id}/class", { params: { path: { id: image.image_id } }, body: { class: cls, prices } }),
    );
    if (!r.ok) return setProblem(r.message);
    setProblem(null);
    setNote("Saved.");
    saved(r.data);
  };
  const hint = (size: "L" | "2L") => {
    const b = sizes?.find((x) => x.size === size)?.owner_price;
    return b ? `Between ¥${b.min} and ¥${b.max}.` : "Whole yen.";
  };
  return (
    <form onSubmit={submit} aria-labelledby="class-h">
      <h2 id="class-h">Who may see and print it</h2>
      <fieldset>
        <legend>Visibility</legend>
        {CLASSES.map((c) => (
          <div class="check" key={c.value}>
            <input
              type="radio"
              id={`class-${c.value}`}
              name="class"
              value={c.value}
              checked={cls === c.value}
              onChange={() => setCls(c.value)}
            />
            <label for={`class-${c.value}`}>{c.label}</label>
          </div>
        ))}
      </fieldset>
      {cls === "printable" && (
        <fieldset>
          <legend>Your price per print</legend>
          <Field id="price-L" label="L (89 × 127 mm), yen" value={l} onInput={setL} inputMode="numeric" hint={hint("L")} />
          <Field id="price-2L" label="2L (127 × 178 mm), yen" value={twoL} onInput={setTwoL} inputMode="numeric" hint={hint("2L")} />
        </fieldset>
      )}
      <Problem message={problem} />
      <Note>{note}</Note>
      <button type="submit">Save visibility</button>
    </form>
  );
}

/** Selection (kept past the storage period) and location sharing. */
export function Flags({ image, saved }: { image: Own; saved: (i: Own) => void }) {
  const [problem, setProblem] = useState<string | null>(null);
  const set = async (body: { selected?: boolean; location_shared?: boolean }) => {
    const r = await attempt(api.PATCH("/v1/images/{id}", { params: { path: { id: image.image_id } }, body }));
    if (!r.ok) return setProblem(r.message);
    setProblem(null);
    if ("status" in r.data) saved(r.data as Own);
  };
  return (
    <fieldset>
      <legend>Keep and share</legend>
      <div class="check">
        <input id="flag-selected" type="checkbox" checked={image.selected} onChange={(e) => void set({ selected: (e.currentTarget as HTMLInputElement).checked })} />
        <label for="flag-selected">Selected: keep this photo</label>
      </div>
      <div class="check">
        <input
          id="flag-location"
          type="checkbox"
          checked={image.location_shared}
          onChange={(e) => void set({ location_shared: (e.currentTarget as HTMLInputElement).checked })}
        />
        <label for="flag-location">Show where it was taken to people I share it with</label>
      </div>
      <Problem message={problem} />
    </fieldset>
  );
}
