import { api } from "../api/client";
import { setSession } from "../session";

/** Ends the session at the api (best effort) and forgets the token here. */
export async function signOut(): Promise<void> {
  try {
    await api.DELETE("/v1/sessions/current");
  } catch {
    // Offline: the token is forgotten here all the same.
  }
  setSession(null);
}
