// Register, confirm the emailed code, log in.
import type * as preact from "preact";
import { useState } from "preact/hooks";
import { api } from "../api/client";
import { attempt } from "../api/call";
import { setSession } from "../session";
import { go, param } from "../router";
import { Field, Note, Problem } from "../components/form";

/** The email-and-password form both registering and logging in use. */
function Credentials(props: {
  id: string;
  title: string;
  action: string;
  newPassword: boolean;
  send: (email: string, password: string) => Promise<string | null>;
  children?: preact.ComponentChildren;
}) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    const failed = await props.send(email, password);
    setBusy(false);
    setProblem(failed);
  };
  return (
    <section class="narrow" aria-labelledby={`${props.id}-h`}>
      <h1 id={`${props.id}-h`}>{props.title}</h1>
      <form onSubmit={submit}>
        <Field id={`${props.id}-email`} label="Email" type="email" value={email} onInput={setEmail} autoComplete={props.newPassword ? "email" : "username"} required />
        <Field
          id={`${props.id}-password`}
          label="Password"
          type="password"
          value={password}
          onInput={setPassword}
          autoComplete={props.newPassword ? "new-password" : "current-password"}
          minLength={props.newPassword ? 10 : undefined}
          required
          hint={props.newPassword ? "At least 10 characters." : undefined}
        />
        <Problem message={problem} />
        <button type="submit" disabled={busy}>
          {props.action}
        </button>
      </form>
      {props.children}
    </section>
  );
}

export function Register() {
  const send = async (email: string, password: string) => {
    const r = await attempt(api.POST("/v1/accounts", { body: { email, password } }));
    if (!r.ok) return r.message;
    go(`/verify?email=${encodeURIComponent(email)}`);
    return null;
  };
  return (
    <Credentials id="register" title="Create your account" action="Register" newPassword send={send}>
      <p>
        Already registered? <a href="#/login">Log in</a>
      </p>
    </Credentials>
  );
}

export function Verify() {
  const email = param("email");
  const [code, setCode] = useState(param("code") ?? "");
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const r = await attempt(api.POST("/v1/accounts/verify", { body: { code: code.trim() } }));
    if (!r.ok) return setProblem(r.message);
    setProblem(null);
    setDone(true);
  };
  return (
    <section class="narrow" aria-labelledby="verify-h">
      <h1 id="verify-h">Confirm your email</h1>
      {done ? (
        <>
          <Note>Your email is confirmed.</Note>
          <p>
            <a href="#/login">Log in</a>
          </p>
        </>
      ) : (
        <form onSubmit={submit}>
          <p>
            We sent a code to {email ? <strong>{email}</strong> : "your email address"}. Enter it here, or follow the
            link in the email.
          </p>
          <Field id="verify-code" label="Code from the email" value={code} onInput={setCode} autoComplete="one-time-code" required />
          <Problem message={problem} />
          <button type="submit">Confirm</button>
        </form>
      )}
    </section>
  );
}

export function Login() {
  const send = async (email: string, password: string) => {
    const r = await attempt(api.POST("/v1/sessions", { body: { email, password } }));
    if (!r.ok) return r.message;
    setSession({ token: r.data.token, customerId: r.data.customer_id, email, expiresAt: r.data.expires_at });
    go("/");
    return null;
  };
  return (
    <Credentials id="login" title="Log in" action="Log in" newPassword={false} send={send}>
      <p>
        New here? <a href="#/register">Create an account</a>
      </p>
    </Credentials>
  );
}
