// An image's attributes, read only (what others see).
import type { Schemas } from "../api/client";

export function Attributes({ attributes: a }: { attributes: Schemas["Attributes"] }) {
  const rows: Array<[string, string]> = [];
  if (a.taken_at) rows.push(["Taken", a.taken_at.replace("T", " ")]);
  if (a.event) rows.push(["Event", a.event]);
  if (a.place?.name) rows.push(["Place", a.place.name]);
  if (a.people?.length) rows.push(["People", a.people.join(", ")]);
  if (a.keywords?.length) rows.push(["Keywords", a.keywords.join(", ")]);
  if (a.camera) rows.push(["Camera", a.camera]);
  if (!rows.length) return null;
  return (
    <dl class="facts">
      {rows.map(([k, v]) => (
        <>
          <dt key={`${k}-t`}>{k}</dt>
          <dd key={`${k}-d`}>{v}</dd>
        </>
      ))}
    </dl>
  );
}
