// A cursor-paged list: the first page on mount, the next as its end comes
// into view (or on "Show more", for keyboards and screen readers).
import { useEffect, useRef, useState } from "preact/hooks";
import type { Outcome } from "../api/call";

export interface Page<T> {
  items: T[];
  next: string | null;
}

export function usePaged<T>(fetch: (cursor: string | undefined) => Promise<Outcome<Page<T>>>, deps: unknown[]) {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [loading, setLoading] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const generation = useRef(0);

  const load = async (from: string | undefined, replace: boolean) => {
    const mine = replace ? ++generation.current : generation.current;
    setLoading(true);
    const r = await fetch(from);
    if (mine !== generation.current) return;
    setLoading(false);
    if (!r.ok) return setProblem(r.message);
    setProblem(null);
    setItems((all) => (replace ? r.data.items : [...all, ...r.data.items]));
    setCursor(r.data.next);
  };
  useEffect(() => void load(undefined, true), deps);
  return {
    items,
    loading,
    problem,
    done: cursor === null,
    more: () => {
      if (!loading && cursor) void load(cursor, false);
    },
    reload: () => void load(undefined, true),
  };
}

/** Calls `f` whenever `el` comes near the viewport. */
export function useNear<E extends Element>(f: () => void, deps: unknown[]) {
  const ref = useRef<E>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const seen = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && f(), {
      rootMargin: "200px",
    });
    seen.observe(el);
    return () => seen.disconnect();
  }, deps);
  return ref;
}

/** The end of a paged list: loads more when seen, or by its button. */
export function More({ list, empty, end }: { list: ReturnType<typeof usePaged<unknown>>; empty: string; end?: string }) {
  const ref = useNear<HTMLDivElement>(list.more, [list.loading, list.done, list.items.length]);
  return (
    <div ref={ref} class="more" aria-live="polite">
      {list.loading ? (
        "Loading…"
      ) : list.done ? (
        list.items.length ? (end ?? "") : empty
      ) : (
        <button type="button" class="small" onClick={list.more}>
          Show more
        </button>
      )}
    </div>
  );
}
