// A quote or an order's lines and totals.
import type { Schemas } from "../api/client";

const yen = (n: number) => `¥${n.toLocaleString("en")}`;

export function Lines({ lines, stages }: { lines: Schemas["LineView"][]; stages?: Record<number, string> }) {
  return (
    <table class="lines">
      <caption class="visually-hidden">Lines</caption>
      <thead>
        <tr>
          <th scope="col">Print</th>
          <th scope="col">Copies</th>
          <th scope="col">Amount</th>
          <th scope="col">Points</th>
          {stages && <th scope="col">Stage</th>}
        </tr>
      </thead>
      <tbody>
        {lines.map((x) => (
          <tr key={x.line}>
            <td>{x.sku}</td>
            <td>{x.quantity}</td>
            <td>{yen(x.amount)}</td>
            <td>{x.points}</td>
            {stages && <td>{stages[x.line] ?? "waiting"}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const DISCS: Record<Schemas["Disc"], string> = { cd: "CD", dvd: "DVD", bd: "Blu-ray" };

/** Bytes in decimal units, as discs are sold. */
export const bytes = (n: number) =>
  n >= 1e9 ? `${(n / 1e9).toFixed(1)} GB` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1e3))} kB`;

/** What an archive disc (M30) holds, in place of print lines. */
export function ArchiveDisc({ archive }: { archive: Schemas["ArchiveTerms"] }) {
  const n = archive.images.length;
  return (
    <p class="archive-disc">
      Archive disc: {DISCS[archive.disc]} with {n} photo{n === 1 ? "" : "s"} ({bytes(archive.bytes)}), written and posted by the lab.
    </p>
  );
}

export function Quote({ quote }: { quote: Schemas["QuoteView"] }) {
  return (
    <section aria-labelledby="quote-h">
      <h2 id="quote-h">Quote</h2>
      {quote.archive ? <ArchiveDisc archive={quote.archive} /> : <Lines lines={quote.lines} />}
      <p>
        {quote.medium_fee > 0 && <>Medium fee {yen(quote.medium_fee)}. </>}
        Total <strong>{yen(quote.total)}</strong>, earning {quote.points} points. Valid until{" "}
        {new Date(quote.expires_at).toLocaleTimeString()}.
      </p>
    </section>
  );
}

export { yen };
