// One file's way in: ask the api for a presigned PUT, send the bytes
// straight to S3 with XHR (for its upload progress events, which fetch has
// none of), then follow the image until upload-finalise decides.
import { api, type Schemas } from "./api/client";
import { attempt } from "./api/call";
import { OFFLINE, sentence } from "./api/errors";

export type Stage =
  | { kind: "asking" }
  | { kind: "sending"; sent: number; total: number }
  | { kind: "pending"; imageId: string }
  | { kind: "ready"; imageId: string; thumbnail: string | null }
  | { kind: "rejected"; imageId: string | null; reason: string }
  | { kind: "duplicate"; imageId: string; of: string };

const TYPES: Record<string, string> = { jpg: "image/jpeg", jpeg: "image/jpeg", png: "image/png", webp: "image/webp" };

/** The file's type as the browser says, else by its extension. */
export function typeOf(file: File): string {
  if (file.type) return file.type;
  const ext = file.name.split(".").pop()?.toLowerCase() ?? "";
  return TYPES[ext] ?? "application/octet-stream";
}

// Headers a browser sets itself and refuses from scripts.
const FORBIDDEN = new Set(["content-length", "host", "connection"]);

/** PUTs `file` as the presigned request says; reports bytes sent. */
export function put(
  upload: Schemas["PresignedPut"],
  file: Blob,
  progress: (sent: number, total: number) => void,
): Promise<string | null> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open(upload.method || "PUT", upload.url);
    for (const [name, value] of Object.entries(upload.headers)) {
      if (!FORBIDDEN.has(name.toLowerCase())) xhr.setRequestHeader(name, value);
    }
    xhr.upload.onprogress = (e) => progress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () =>
      resolve(
        xhr.status >= 200 && xhr.status < 300
          ? null
          : xhr.status === 412
            ? "This upload was already sent."
            : "The storage service refused the file. Please try again.",
      );
    xhr.onerror = () => resolve(OFFLINE);
    xhr.send(file);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The thumbnail's short-lived URL, when there is one. */
export async function thumbnailOf(imageId: string): Promise<string | null> {
  const r = await attempt(api.GET("/v1/images/{id}/urls", { params: { path: { id: imageId } } }));
  return r.ok ? (r.data.thumbnail ?? null) : null;
}

/** Follows an image until it leaves `pending` (or gives up after ~3 minutes). */
export async function settle(imageId: string): Promise<Stage> {
  let wait = 300;
  for (let waited = 0; waited < 180_000; waited += wait, wait = Math.min(wait * 1.5, 2000)) {
    const r = await attempt(api.GET("/v1/images/{id}", { params: { path: { id: imageId } } }));
    if (r.ok && "status" in r.data) {
      const img = r.data as Schemas["OwnImage"];
      if (img.status === "ready") return { kind: "ready", imageId, thumbnail: await thumbnailOf(imageId) };
      if (img.status === "rejected")
        return { kind: "rejected", imageId, reason: sentence(img.rejection?.reason ?? "the file was refused") };
      if (img.status === "duplicate") return { kind: "duplicate", imageId, of: img.duplicate_of ?? "" };
    }
    await sleep(wait);
  }
  return { kind: "pending", imageId };
}

/** Sends one file all the way, telling `report` each stage. */
export async function send(file: File, report: (s: Stage) => void): Promise<Stage> {
  report({ kind: "asking" });
  const ticket = await attempt(
    api.POST("/v1/uploads", {
      body: { file_name: file.name, content_type: typeOf(file), content_length: file.size },
    }),
  );
  if (!ticket.ok) {
    const s: Stage = { kind: "rejected", imageId: null, reason: ticket.message };
    report(s);
    return s;
  }
  const imageId = ticket.data.image_id;
  report({ kind: "sending", sent: 0, total: file.size });
  const failed = await put(ticket.data.upload, file, (sent, total) => report({ kind: "sending", sent, total }));
  if (failed) {
    const s: Stage = { kind: "rejected", imageId, reason: failed };
    report(s);
    return s;
  }
  report({ kind: "pending", imageId });
  const end = await settle(imageId);
  report(end);
  return end;
}
