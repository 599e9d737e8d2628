// The one way the page calls the api: openapi-fetch, typed by
// schema.d.ts, which `npm run gen` makes from docs/openapi.json
// (`make lint` fails when it is stale).
import createClient, { type Middleware } from "openapi-fetch";
import type { paths } from "./schema";
import { session, setSession } from "../session";
import { setArrears } from "../arrears";
import { sentence } from "./errors";

/** Sends the session's bearer token; a 401 to a signed-in call ends the session. */
const auth: Middleware = {
  onRequest({ request }) {
    const s = session();
    if (s && !request.headers.has("authorization")) {
      request.headers.set("authorization", `Bearer ${s.token}`);
    }
    return request;
  },
  async onResponse({ request, response }) {
    if (response.status === 401 && request.headers.has("authorization")) {
      setSession(null);
      setArrears(null);
    }
    if (response.status === 402) {
      const body = (await response.clone().json().catch(() => ({}))) as { error?: { message?: string } };
      setArrears(sentence(body.error?.message ?? "your account is in arrears"));
    } else if (response.ok && !new URL(request.url).pathname.startsWith("/v1/invoices")) {
      // Invoices answer in arrears too; anything else answering means it is over.
      setArrears(null);
    }
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: window.location.origin });
api.use(auth);

export type Schemas = import("./schema").components["schemas"];
