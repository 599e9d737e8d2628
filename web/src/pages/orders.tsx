// Orders: the list, one order with each line's stage and its payment, and
// the points balance with its entries.
import { useEffect, useState } from "preact/hooks";
import { api, type Schemas } from "../api/client";
import { attempt, mapped } from "../api/call";
import { checkout } from "../config";
import { Note, Problem } from "../components/form";
import { More, usePaged } from "../components/paged";
import { ArchiveDisc, Lines, yen } from "../components/quote";

type Order = Schemas["OrderView"];

const STATUS: Record<Schemas["OrderStatus"], string> = {
  awaiting_email: "waiting for the email confirmation",
  placed: "waiting for payment",
  paid: "paid",
  dispatching: "being sent to the lab",
  dispatched: "dispatched",
  cancelled: "cancelled",
};

export function Orders() {
  const list = usePaged<Order>(
    async (cursor) =>
      mapped(await attempt(api.GET("/v1/orders", { params: { query: { cursor } } })), (d) => ({
        items: d.orders,
        next: d.next_cursor ?? null,
      })),
    [],
  );
  return (
    <section aria-labelledby="orders-h">
      <h1 id="orders-h">Orders</h1>
      <Problem message={list.problem} />
      <ul class="plain" aria-label="Orders">
        {list.items.map((o) => (
          <li key={o.order_id}>
            <a href={`#/orders/${encodeURIComponent(o.order_id)}`}>
              {new Date(o.created_at).toLocaleDateString()}: {yen(o.total)}
            </a>{" "}
            <span class="status">{STATUS[o.status]}</span>
          </li>
        ))}
      </ul>
      <More list={list as never} empty="No orders yet." />
    </section>
  );
}

export function OrderDetail({ id }: { id: string }) {
  const [order, setOrder] = useState<Order | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [note, setNote] = useState("");
  const load = async () => {
    const r = await attempt(api.GET("/v1/orders/{order_id}", { params: { path: { order_id: id } } }));
    if (!r.ok) return setProblem(r.message);
    setOrder(r.data);
  };
  useEffect(() => void load(), [id]);
  if (!order) return <Problem message={problem} />;
  const stages = Object.fromEntries((order.stages ?? []).map((s) => [s.line, s.tracking ? `${s.stage} (${s.carrier} ${s.tracking})` : s.reason ? `${s.stage}: ${s.reason}` : s.stage]));
  const pay = async () => setProblem(await checkout(order.order_id, `/#/orders/${order.order_id}`));
  const cancel = async () => {
    const r = await attempt(api.POST("/v1/orders/{order_id}/cancel", { params: { path: { order_id: id } } }));
    if (!r.ok) return setProblem(r.message);
    setNote("The order is cancelled; anything paid is owed back.");
    setOrder(r.data);
  };
  return (
    <section aria-labelledby="order-detail-h">
      <p>
        <a href="#/orders">← Orders</a>
      </p>
      <h1 id="order-detail-h">Order {order.order_id}</h1>
      <p>
        Status: <strong class="order-status">{order.status}</strong> ({STATUS[order.status]})
      </p>
      {order.archive ? <ArchiveDisc archive={order.archive} /> : <Lines lines={order.lines} stages={stages} />}
      <p>
        Total {yen(order.total)}; points spent {order.points_redeemed}; to pay {yen(order.amount_due)}; points it earns{" "}
        {order.points_earned}.{order.refund_due > 0 && <> Owed back to you: {yen(order.refund_due)}.</>}
      </p>
      <Problem message={problem} />
      <Note>{note}</Note>
      {order.status === "placed" && order.amount_due > 0 && (
        <button type="button" onClick={() => void pay()}>
          Pay {yen(order.amount_due)}
        </button>
      )}{" "}
      {(order.status === "placed" || order.status === "paid" || order.status === "awaiting_email") && (
        <button type="button" onClick={() => void cancel()}>
          Cancel the order
        </button>
      )}{" "}
      <button type="button" class="small" onClick={() => void load()}>
        Refresh
      </button>
    </section>
  );
}

export function Points() {
  const [balance, setBalance] = useState<number | null>(null);
  const list = usePaged<Schemas["EntryView"]>(async (cursor) => {
    const r = await attempt(api.GET("/v1/points", { params: { query: { cursor } } }));
    if (r.ok) setBalance(r.data.balance);
    return mapped(r, (d) => ({ items: d.entries, next: d.next_cursor ?? null }));
  }, []);
  return (
    <section aria-labelledby="points-h">
      <h1 id="points-h">Points</h1>
      <p>
        Balance: <strong class="points-balance">{balance ?? "…"}</strong> points (1 point = ¥1 off an order).
      </p>
      <Problem message={list.problem} />
      <table class="entries">
        <caption class="visually-hidden">Points entries</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">What</th>
            <th scope="col">Points</th>
          </tr>
        </thead>
        <tbody>
          {list.items.map((e) => (
            <tr key={`${e.journal_id}-${e.at}`}>
              <td>{new Date(e.at).toLocaleString()}</td>
              <td>{e.memo}</td>
              <td>{e.points > 0 ? `+${e.points}` : e.points}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <More list={list as never} empty="No points yet: you earn them when your prints ship." />
    </section>
  );
}
