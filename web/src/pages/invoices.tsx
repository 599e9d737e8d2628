// Storage invoices (M23-M25): how each amount was reached, and paying one
// through the provider's checkout.
import { useState } from "preact/hooks";
import { api, type Schemas } from "../api/client";
import { attempt, mapped } from "../api/call";
import { checkout } from "../config";
import { Problem } from "../components/form";
import { More, usePaged } from "../components/paged";
import { yen } from "../components/quote";

type Invoice = Schemas["InvoiceView"];

function Working({ c }: { c: Schemas["Charge"] }) {
  // Originals archived on a disc (M32) are billed at their own rate.
  const archived = c.archived_byte_seconds !== "0";
  return (
    <dl class="facts working">
      <dt>Stored</dt>
      <dd>{c.byte_hours} byte-hours</dd>
      <dt>Hours in the month</dt>
      <dd>{c.month_hours}</dd>
      <dt>GiB-months</dt>
      <dd>
        {c.byte_hours} ÷ 2³⁰ ÷ {c.month_hours} = {c.gib_months}
      </dd>
      <dt>Rate</dt>
      <dd>{yen(c.rate_yen_per_gib_month)} per GiB-month</dd>
      {archived && (
        <>
          <dt>Archived on your discs</dt>
          <dd>
            {c.archived_gib_months} GiB-months at {yen(c.archive_rate_yen_per_gib_month)} per GiB-month
          </dd>
        </>
      )}
      <dt>Exact charge</dt>
      <dd>
        {c.gib_months} × {c.rate_yen_per_gib_month}
        {archived && <> + {c.archived_gib_months} × {c.archive_rate_yen_per_gib_month}</>} = ¥{c.exact_yen}
      </dd>
      <dt>Rounded up</dt>
      <dd>
        +¥{c.rounding_yen} = {yen(c.amount)}
      </dd>
      <dt>Points</dt>
      <dd>{c.points}</dd>
    </dl>
  );
}

function Row({ invoice: i }: { invoice: Invoice }) {
  const [problem, setProblem] = useState<string | null>(null);
  const pay = async () => setProblem(await checkout(i.invoice_id, "/#/invoices"));
  return (
    <li class={`invoice invoice-${i.status}`} data-invoice={i.invoice_id}>
      <h2>
        {i.month}: {yen(i.charge.amount)} <span class="status">{i.status}</span>
      </h2>
      {i.status === "overdue" && <p class="problem">Unpaid past its arrears date: paying it unlocks your account at once.</p>}
      <p>
        Issued {i.issued_on}, due {i.due_on}; unpaid on {i.arrears_on}, the account is locked.
        {i.paid_at && <> Paid {new Date(i.paid_at).toLocaleString()}.</>}
        {i.refund_due > 0 && <> Owed back to you: {yen(i.refund_due)}.</>}
      </p>
      <details>
        <summary>How the amount was reached</summary>
        <Working c={i.charge} />
      </details>
      {i.amount_due > 0 && (
        <button type="button" onClick={() => void pay()}>
          Pay {yen(i.amount_due)} for {i.month}
        </button>
      )}
      <Problem message={problem} />
    </li>
  );
}

export function Invoices() {
  const list = usePaged<Invoice>(
    async (cursor) =>
      mapped(await attempt(api.GET("/v1/invoices", { params: { query: { cursor } } })), (d) => ({
        items: d.invoices,
        next: d.next_cursor ?? null,
      })),
    [],
  );
  return (
    <section aria-labelledby="invoices-h">
      <h1 id="invoices-h">Storage invoices</h1>
      <Problem message={list.problem} />
      <ul class="plain invoices" aria-label="Invoices">
        {/* Overdue first: those are what lock the account. */}
        {[...list.items.filter((i) => i.status === "overdue"), ...list.items.filter((i) => i.status !== "overdue")].map((i) => (
          <Row key={i.invoice_id} invoice={i} />
        ))}
      </ul>
      <More list={list as never} empty="No invoices yet: the first comes after your first month." />
    </section>
  );
}
