// Party groups (M3): make one, invite by address, accept an invitation,
// see the members, remove one (or leave).
import { useEffect, useState } from "preact/hooks";
import { api, type Schemas } from "../api/client";
import { attempt } from "../api/call";
import { session } from "../session";
import { Field, Note, Problem } from "../components/form";

function Group({ id }: { id: string }) {
  const [group, setGroup] = useState<Schemas["GroupView"] | null>(null);
  const [email, setEmail] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [note, setNote] = useState("");
  const load = async () => {
    const r = await attempt(api.GET("/v1/groups/{id}", { params: { path: { id } } }));
    r.ok ? setGroup(r.data) : setProblem(r.message);
  };
  useEffect(() => void load(), [id]);
  const invite = async (e: Event) => {
    e.preventDefault();
    const r = await attempt(api.POST("/v1/groups/{id}/invitations", { params: { path: { id } }, body: { email: email.trim() } }));
    if (!r.ok) return setProblem(r.message);
    setProblem(null);
    setNote(`Invited ${email.trim()}.`);
    setEmail("");
  };
  const remove = async (member: string) => {
    const r = await attempt(api.DELETE("/v1/groups/{id}/members/{member}", { params: { path: { id, member } } }));
    if (!r.ok) return setProblem(r.message);
    await load();
  };
  if (!group) return <Problem message={problem} />;
  const me = session()?.customerId;
  return (
    <li class="group">
      <h2>{group.name}</h2>
      <ul class="plain">
        {group.members.map((m) => (
          <li key={m.customer_id}>
            {m.email}{" "}
            {(group.owner === me || m.customer_id === me) && m.customer_id !== group.owner && (
              <button type="button" class="small" onClick={() => void remove(m.customer_id)}>
                {m.customer_id === me ? "Leave the group" : `Remove ${m.email}`}
              </button>
            )}
          </li>
        ))}
      </ul>
      <form onSubmit={invite}>
        <Field id={`invite-${id}`} label={`Invite to ${group.name} (email)`} type="email" value={email} onInput={setEmail} required />
        <Problem message={problem} />
        <Note>{note}</Note>
        <button type="submit">Invite</button>
      </form>
    </li>
  );
}

export function Groups() {
  const [groups, setGroups] = useState<Schemas["Membership"][]>([]);
  const [invitations, setInvitations] = useState<Schemas["Invitation"][]>([]);
  const [name, setName] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const load = async () => {
    const [g, i] = await Promise.all([attempt(api.GET("/v1/groups")), attempt(api.GET("/v1/invitations"))]);
    if (g.ok) setGroups(g.data.groups);
    if (i.ok) setInvitations(i.data.invitations);
    if (!g.ok) setProblem(g.message);
  };
  useEffect(() => void load(), []);
  const create = async (e: Event) => {
    e.preventDefault();
    const r = await attempt(api.POST("/v1/groups", { body: { name: name.trim() } }));
    if (!r.ok) return setProblem(r.message);
    setName("");
    await load();
  };
  const accept = async (id: string) => {
    const r = await attempt(api.POST("/v1/groups/{id}/accept", { params: { path: { id } } }));
    if (!r.ok) return setProblem(r.message);
    await load();
  };
  return (
    <section aria-labelledby="groups-h">
      <h1 id="groups-h">Groups</h1>
      {invitations.length > 0 && (
        <ul class="plain" aria-label="Invitations">
          {invitations.map((i) => (
            <li key={i.group_id}>
              You are invited to {i.group_name}.{" "}
              <button type="button" onClick={() => void accept(i.group_id)}>
                Join {i.group_name}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={create} class="inline">
        <Field id="group-name" label="New group name" value={name} onInput={setName} required />
        <button type="submit">Create group</button>
      </form>
      <Problem message={problem} />
      <ul class="plain">
        {groups.map((g) => (
          <Group key={g.group_id} id={g.group_id} />
        ))}
      </ul>
    </section>
  );
}
