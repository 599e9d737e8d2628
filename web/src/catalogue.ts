// The catalogue (GET /v1/catalogue): sizes, media, fees, the operator's
// price bounds and the output locations. Read once per page load.
import { useEffect, useState } from "preact/hooks";
import { api, type Schemas } from "./api/client";
import { attempt } from "./api/call";

type Catalogue = Schemas["CatalogueView"];
let cached: Promise<Catalogue | null> | null = null;

export function catalogue(): Promise<Catalogue | null> {
  cached ??= attempt(api.GET("/v1/catalogue")).then((r) => (r.ok ? r.data : null));
  return cached;
}

export function useCatalogue(): Catalogue | null {
  const [c, setC] = useState<Catalogue | null>(null);
  useEffect(() => void catalogue().then(setC), []);
  return c;
}
