// M24: an account in arrears gets 402 from everything but its invoices.
// The page shows a banner leading to the unpaid invoice; the first
// answer that is not a 402 (once paid) takes it away.
import { useEffect, useState } from "preact/hooks";

type Listener = (message: string | null) => void;
const listeners = new Set<Listener>();
let current: string | null = null;

export function setArrears(message: string | null): void {
  if (message === current) return;
  current = message;
  for (const l of listeners) l(message);
}

export function useArrears(): string | null {
  const [m, setM] = useState(current);
  useEffect(() => {
    listeners.add(setM);
    return () => void listeners.delete(setM);
  }, []);
  return m;
}
