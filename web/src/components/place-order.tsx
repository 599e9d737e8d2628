// The order form under a quote: where the prints go, points to spend
// (customers), an email address (guests). One Idempotency-Key per quote, so
// pressing twice, or a retry after a lost answer, places one order.
import { useEffect, useState } from "preact/hooks";
import { api, type Schemas } from "../api/client";
import { attempt } from "../api/call";
import { go } from "../router";
import { session } from "../session";
import { Field, Note, Problem } from "./form";

type Address = Schemas["Address"];
const FIELDS: Array<[keyof Address, string, string]> = [
  ["name", "Recipient's name", "name"],
  ["postal_code", "Postal code", "postal-code"],
  ["region", "Prefecture or state", "address-level1"],
  ["locality", "City or ward", "address-level2"],
  ["street", "Street and building", "street-address"],
];

export function PlaceOrder({ quote }: { quote: Schemas["QuoteView"] }) {
  const signedIn = session() !== null;
  const [address, setAddress] = useState<Record<string, string>>({});
  const [email, setEmail] = useState("");
  const [points, setPoints] = useState("0");
  const [balance, setBalance] = useState<number | null>(null);
  const [key] = useState(() => crypto.randomUUID());
  const [problem, setProblem] = useState<string | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  useEffect(() => {
    if (signedIn) void attempt(api.GET("/v1/points", { params: { query: { limit: 1 } } })).then((r) => r.ok && setBalance(r.data.balance));
  }, [signedIn]);
  const submit = async (e: Event) => {
    e.preventDefault();
    const spend = Number(points || "0");
    if (!Number.isInteger(spend) || spend < 0) return setProblem("Points must be a whole number.");
    const r = await attempt(
      api.POST("/v1/orders", {
        params: { header: { "Idempotency-Key": key } },
        body: {
          quote_id: quote.quote_id,
          address: {
            name: address.name ?? "",
            postal_code: address.postal_code ?? "",
            region: address.region ?? "",
            locality: address.locality ?? "",
            street: address.street ?? "",
          },
          ...(signedIn ? { points: spend } : { email: email.trim() }),
        },
      }),
    );
    if (!r.ok) return setProblem(r.message);
    setProblem(null);
    if (r.data.status === "awaiting_email") return setSent(r.data.email);
    go(`/orders/${encodeURIComponent(r.data.order_id)}`);
  };
  if (sent) {
    return (
      <Note>
        We emailed a link to {sent}. Open it and confirm, and the order goes ahead.
      </Note>
    );
  }
  return (
    <form onSubmit={submit} aria-labelledby="place-h">
      <h2 id="place-h">Deliver to</h2>
      {FIELDS.map(([k, label, auto]) => (
        <Field key={k} id={`addr-${k}`} label={label} value={address[k] ?? ""} onInput={(v) => setAddress({ ...address, [k]: v })} autoComplete={auto} required />
      ))}
      {signedIn ? (
        <Field
          id="order-points"
          label="Points to spend (1 point = ¥1)"
          value={points}
          onInput={setPoints}
          inputMode="numeric"
          hint={balance === null ? undefined : `You have ${balance} points.`}
        />
      ) : (
        <Field id="order-email" label="Your email (we send a link to confirm)" type="email" value={email} onInput={setEmail} autoComplete="email" required />
      )}
      <Problem message={problem} />
      <button type="submit">Place the order</button>
    </form>
  );
}
