// The account: who is signed in, changing the email address, logging out.
import { useState } from "preact/hooks";
import { api } from "../api/client";
import { attempt } from "../api/call";
import type { Session } from "../session";
import { Field, Note, Problem } from "../components/form";
import { signOut } from "./signout";

export function Account({ session }: { session: Session }) {
  const [email, setEmail] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [note, setNote] = useState("");
  const submit = async (e: Event) => {
    e.preventDefault();
    const r = await attempt(api.PUT("/v1/profile/email", { body: { email } }));
    if (!r.ok) return setProblem(r.message);
    setProblem(null);
    setNote(`We sent a code to ${email}. Your address changes once you confirm it.`);
  };
  return (
    <section class="narrow" aria-labelledby="account-h">
      <h1 id="account-h">Your account</h1>
      <p>Signed in as {session.email}.</p>
      <form onSubmit={submit}>
        <h2>Change your email address</h2>
        <Field id="account-email" label="New email" type="email" value={email} onInput={setEmail} autoComplete="email" required />
        <Problem message={problem} />
        <Note>{note}</Note>
        <button type="submit">Send a code</button>
      </form>
      <p>
        <a href={`#/verify?email=${encodeURIComponent(email)}`}>I have a code</a>
      </p>
      <button type="button" onClick={() => void signOut()}>
        Log out
      </button>
    </section>
  );
}
