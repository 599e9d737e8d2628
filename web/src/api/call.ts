// One shape for every call's outcome: the data, or a sentence to show.
import { OFFLINE, explain } from "./errors";

export type Outcome<T> =
  | { ok: true; data: T; response: Response }
  | { ok: false; message: string; status: number };

/** Awaits an openapi-fetch call; a network failure becomes a sentence too. */
export async function attempt<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<Outcome<T>> {
  try {
    const { data, error, response } = await call;
    if (response.ok) return { ok: true, data: data as T, response };
    return { ok: false, message: explain(error, response), status: response.status };
  } catch {
    return { ok: false, message: OFFLINE, status: 0 };
  }
}

/** The same outcome with its data changed by `f`. */
export function mapped<T, U>(r: Outcome<T>, f: (t: T) => U): Outcome<U> {
  return r.ok ? { ...r, data: f(r.data) } : r;
}
