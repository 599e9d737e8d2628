// Every error the api answers, as the sentence it carries: never a status
// code, never JSON.

/** The api's one error body. */
interface ErrorBody {
  error?: { code?: string; message?: string };
}

/** A sentence: first letter up, a full stop at the end. */
export function sentence(text: string): string {
  const t = text.trim();
  if (!t) return t;
  const s = t[0]!.toUpperCase() + t.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

/** "5 minutes", "1 hour", "30 seconds". */
export function waitFor(seconds: number): string {
  const unit = (n: number, w: string) => `${n} ${w}${n === 1 ? "" : "s"}`;
  if (seconds < 90) return unit(Math.max(1, Math.round(seconds)), "second");
  if (seconds < 90 * 60) return unit(Math.round(seconds / 60), "minute");
  return unit(Math.round(seconds / 3600), "hour");
}

/** What to tell the customer about a failed call. */
export function explain(error: unknown, response?: Response): string {
  const body = (error ?? {}) as ErrorBody;
  const message = body.error?.message;
  if (response?.status === 429) {
    const retry = Number(response.headers.get("retry-after"));
    const what = (message ?? "too many attempts").split(";")[0]!;
    return Number.isFinite(retry) && retry > 0
      ? `${sentence(what)} Try again in ${waitFor(retry)}.`
      : sentence(what);
  }
  if (message) return sentence(message);
  if (response && response.status >= 500) return "Something went wrong on our side. Please try again.";
  return "The request could not be completed. Please try again.";
}

/** What to tell the customer when the network itself failed. */
export const OFFLINE = "printvault cannot be reached. Check your connection and try again.";
