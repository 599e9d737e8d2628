// A guest's order (M19), opened from the emailed link: confirm it, follow
// its lines, pay it, or cancel it. The token proves the guest's address;
// it stays in this tab (sessionStorage) while the browser is away at the
// checkout, and never goes to the provider.
import { useEffect, useState } from "preact/hooks";
import { api, type Schemas } from "../api/client";
import { attempt } from "../api/call";
import { checkout } from "../config";
import { param } from "../router";
import { Note, Problem } from "../components/form";
import { Lines, yen } from "../components/quote";

const KEY = "printvault.guest";
// Set once the guest pressed Confirm in this tab: coming back from the
// checkout then shows the order at once. Never on a first visit, so a mail
// scanner that follows the link and runs the page confirms nothing.
const CONFIRMED = "printvault.guest.confirmed";

function token(): string | null {
  const fromLink = param("token");
  if (fromLink) {
    sessionStorage.setItem(KEY, fromLink);
    // Out of the address bar and the history once kept.
    history.replaceState(null, "", "#/guest");
    return fromLink;
  }
  return sessionStorage.getItem(KEY);
}

export function GuestOrder() {
  const [t] = useState(token);
  const [order, setOrder] = useState<Schemas["OrderView"] | null>(null);
  const [problem, setProblem] = useState<string | null>(t ? null : "Open the link in the email we sent you.");
  const [note, setNote] = useState("");
  const send = async (path: "/v1/orders/guest/confirm" | "/v1/orders/guest/cancel") => {
    if (!t) return;
    const r = await attempt(api.POST(path, { body: { token: t } }));
    if (!r.ok) return setProblem(r.message);
    sessionStorage.setItem(CONFIRMED, t);
    setProblem(null);
    setOrder(r.data);
    if (path.endsWith("cancel")) setNote("The order is cancelled; anything paid is owed back.");
  };
  // Confirming again only shows the order: back from the checkout, show it.
  useEffect(() => {
    if (t && sessionStorage.getItem(CONFIRMED) === t) void send("/v1/orders/guest/confirm");
  }, [t]);
  if (!order) {
    return (
      <section aria-labelledby="guest-h" class="narrow">
        <h1 id="guest-h">Your order</h1>
        {t && (
          <>
            <p>Press Confirm to let your order go ahead, and to see it, pay for it or cancel it.</p>
            <button type="button" onClick={() => void send("/v1/orders/guest/confirm")}>
              Confirm
            </button>
          </>
        )}
        <Problem message={problem} />
      </section>
    );
  }
  const stages = Object.fromEntries((order.stages ?? []).map((s) => [s.line, s.stage]));
  return (
    <section aria-labelledby="guest-h">
      <h1 id="guest-h">Your order {order.order_id}</h1>
      <p>
        Status: <strong class="order-status">{order.status}</strong>. We write to {order.email} at each stage.
      </p>
      <Lines lines={order.lines} stages={stages} />
      <p>
        Total {yen(order.total)}; to pay {yen(order.amount_due)}.
        {order.refund_due > 0 && <> Owed back to you: {yen(order.refund_due)}.</>}
      </p>
      <Problem message={problem} />
      <Note>{note}</Note>
      {order.status === "placed" && order.amount_due > 0 && (
        <button type="button" onClick={() => void checkout(order.order_id, "/#/guest").then(setProblem)}>
          Pay {yen(order.amount_due)}
        </button>
      )}{" "}
      {(order.status === "placed" || order.status === "paid") && (
        <button type="button" onClick={() => void send("/v1/orders/guest/cancel")}>
          Cancel the order
        </button>
      )}
    </section>
  );
}
