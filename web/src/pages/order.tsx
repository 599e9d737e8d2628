// Ordering prints of one image (M15-M19): a quote at an output location and
// on a medium, then the order with points and an address. A guest gives an
// email address and confirms by the emailed link.
import { useState } from "preact/hooks";
import { api, type Schemas } from "../api/client";
import { attempt } from "../api/call";
import { param } from "../router";
import { session } from "../session";
import { useCatalogue } from "../catalogue";
import { Field, Note, Problem } from "../components/form";
import { Quote } from "../components/quote";
import { PlaceOrder } from "../components/place-order";

type Medium = Schemas["Medium"];

export function OrderPage() {
  const image = param("image") ?? "";
  const cat = useCatalogue();
  const [location, setLocation] = useState("");
  const [medium, setMedium] = useState<Medium>("photo_paper");
  const [l, setL] = useState("0");
  const [twoL, setTwoL] = useState("0");
  const [quote, setQuote] = useState<Schemas["QuoteView"] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // Until the customer chooses, the first location is the one shown and used
  // (derived, not set by an effect: an effect could overwrite a choice made
  // the moment the options appeared).
  const chosen = location || cat?.locations[0]?.location || "";
  const ask = async (e: Event) => {
    e.preventDefault();
    const lines: Schemas["LineRequest"][] = [];
    for (const [size, n] of [["L", l], ["2L", twoL]] as const) {
      const q = Number(n || "0");
      if (!Number.isInteger(q) || q < 0) return setProblem("Copies must be a whole number.");
      if (q > 0) lines.push({ image_id: image, size, quantity: q });
    }
    if (!lines.length) return setProblem("Ask for at least one print.");
    if (!chosen) return setProblem("Choose where to collect or send the prints from.");
    const r = await attempt(api.POST("/v1/quotes", { body: { lines, location: chosen, medium } }));
    if (!r.ok) return setProblem(r.message);
    setProblem(null);
    setQuote(r.data);
  };
  return (
    <section aria-labelledby="order-h" class="narrow">
      <h1 id="order-h">Order prints</h1>
      {!session() && <Note>You are ordering as a guest: you will confirm by email, and guests earn no points.</Note>}
      <form onSubmit={ask}>
        <label for="order-location">Print lab location</label>
        <select id="order-location" value={chosen} onChange={(e) => setLocation((e.currentTarget as HTMLSelectElement).value)}>
          {(cat?.locations ?? []).map((x) => (
            <option key={x.location} value={x.location}>
              {x.lab_name ? `${x.location} (${x.lab_name})` : x.location}
            </option>
          ))}
        </select>
        <label for="order-medium">Printed on</label>
        <select id="order-medium" value={medium} onChange={(e) => setMedium((e.currentTarget as HTMLSelectElement).value as Medium)}>
          <option value="photo_paper">Photo paper</option>
          <option value="cd">CD</option>
          <option value="dvd">DVD</option>
          <option value="bd">Blu-ray</option>
        </select>
        <Field id="order-L" label="L prints (89 × 127 mm)" value={l} onInput={setL} inputMode="numeric" />
        <Field id="order-2L" label="2L prints (127 × 178 mm)" value={twoL} onInput={setTwoL} inputMode="numeric" />
        <Problem message={problem} />
        <button type="submit">Get a quote</button>
      </form>
      {quote && <Quote quote={quote} />}
      {quote && <PlaceOrder quote={quote} />}
    </section>
  );
}
