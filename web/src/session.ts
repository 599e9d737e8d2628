// Where the session token lives: sessionStorage, one tab's lifetime
// (docs/web.md says why). Logging out, or any 401 from the api, clears it.

const KEY = "printvault.session";

export interface Session {
  token: string;
  customerId: string;
  email: string;
  expiresAt: string;
}

type Listener = (s: Session | null) => void;
const listeners = new Set<Listener>();

function read(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    if (typeof s.token !== "string" || Date.parse(s.expiresAt) <= Date.now()) {
      sessionStorage.removeItem(KEY);
      return null;
    }
    return s;
  } catch {
    return null;
  }
}

let current: Session | null = read();

export function session(): Session | null {
  return current;
}

export function setSession(s: Session | null): void {
  current = s;
  if (s) sessionStorage.setItem(KEY, JSON.stringify(s));
  else sessionStorage.removeItem(KEY);
  for (const l of listeners) l(s);
}

export function onSession(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}
