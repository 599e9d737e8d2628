// Register, confirm the emailed code, log in.
import { useState } from "preact/hooks";
import { api } from "../api/client";
import { attempt } from "../api/call";
import { setSession } from "../session";
import { go, param } from "../router";
import { Field, Note, Problem } from "../components/form";

export function Register() {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    const r = await attempt(api.POST("/v1/accounts", { body: { email, password } }));
    setBusy(false);
    if (!r.ok) return setProblem(r.message);
    setProblem(null);
    go(`/verify?email=${encodeURIComponent(email)}`);
  };
  return (
    <section class="narrow" aria-labelledby="register-h">
      <h1 id="register-h">Create your account</h1>
      <form onSubmit={submit}>
        <Field id="register-email" label="Email" type="email" value={email} onInput={setEmail} autoComplete="email" required />
        <Field
          id="register-password"
          label="Password"
          type="password"
          value={password}
          onInput={setPassword}
          autoComplete="new-password"
          minLength={10}
          required
          hint="At least 10 characters."
        />
        <Problem message={problem} />
        <button type="submit" disabled={busy}>Register</button>
      </form>
      <p>
        Already registered? <a href="#/login">Log in</a>
      </p>
    </section>
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
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    const r = await attempt(api.POST("/v1/sessions", { body: { email, password } }));
    setBusy(false);
    if (!r.ok) return setProblem(r.message);
    setSession({ token: r.data.token, customerId: r.data.customer_id, email, expiresAt: r.data.expires_at });
    go("/");
  };
  return (
    <section class="narrow" aria-labelledby="login-h">
      <h1 id="login-h">Log in</h1>
      <form onSubmit={submit}>
        <Field id="login-email" label="Email" type="email" value={email} onInput={setEmail} autoComplete="username" required />
        <Field id="login-password" label="Password" type="password" value={password} onInput={setPassword} autoComplete="current-password" required />
        <Problem message={problem} />
        <button type="submit" disabled={busy}>Log in</button>
      </form>
      <p>
        New here? <a href="#/register">Create an account</a>
      </p>
    </section>
  );
}
