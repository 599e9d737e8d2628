// Hash routing: `#/images/img_…`. A route in the fragment is never sent to
// a server, so a share link's token (`#/shared/…`) stays out of logs and
// Referer headers.
import { useEffect, useState } from "preact/hooks";

export function currentPath(): string {
  const h = window.location.hash.replace(/^#/, "");
  return h.startsWith("/") ? h : "/";
}

export function useRoute(): string {
  const [path, setPath] = useState(currentPath());
  useEffect(() => {
    const on = () => setPath(currentPath());
    window.addEventListener("hashchange", on);
    return () => window.removeEventListener("hashchange", on);
  }, []);
  return path;
}

export function go(path: string): void {
  window.location.hash = path;
}

/** The parts of `path` after `prefix` (`/images/x` with `/images/` gives `x`). */
export function after(path: string, prefix: string): string | null {
  if (!path.startsWith(prefix)) return null;
  const rest = path.slice(prefix.length).split("?")[0]!;
  return rest ? decodeURIComponent(rest) : null;
}

/** A query parameter of the fragment (`#/verify?code=…`). */
export function param(name: string): string | null {
  const h = window.location.hash;
  const q = h.indexOf("?");
  return q < 0 ? null : new URLSearchParams(h.slice(q + 1)).get(name);
}
