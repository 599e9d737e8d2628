// The page's runtime settings, from /config.json next to index.html: the
// payment provider's hosted checkout. `make run` serves a local stand-in;
// a deployment publishes its own (docs/deploy.md).
export interface Config {
  checkout_url: string;
  local?: boolean;
}

let loaded: Promise<Config> | null = null;

export function config(): Promise<Config> {
  loaded ??= fetch("/config.json", { cache: "no-cache" })
    .then((r) => (r.ok ? (r.json() as Promise<Config>) : Promise.reject(new Error(String(r.status)))))
    .catch(() => ({ checkout_url: "" }));
  return loaded;
}

/** Sends the browser to the checkout for an order (`ord_…`) or invoice (`inv_…`). */
export async function checkout(reference: string, back: string): Promise<string | null> {
  const c = await config();
  if (!c.checkout_url) return "Payments are not set up here: the page has no checkout address.";
  const url = new URL(c.checkout_url, window.location.origin);
  url.searchParams.set("reference", reference);
  url.searchParams.set("return_url", back);
  window.location.assign(url.toString());
  return null;
}
