// Global setup: starts the local stack (`local-runner run`, as `make run`
// does: moto, the resources, every function, the api and the page) on a
// free port, waits for its "listening" line, and stops it after the run.
// Tests find it through PRINTVAULT_WEB and PRINTVAULT_MOTO.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      const port = typeof a === "object" && a ? a.port : 0;
      s.close(() => ok(port));
    });
  });
}

export default async function startStack(): Promise<() => Promise<void>> {
  if (process.env.PRINTVAULT_WEB && process.env.PRINTVAULT_MOTO) {
    return async () => {}; // a stack started by hand
  }
  const root = fileURLToPath(new URL("../..", import.meta.url));
  const runner = process.env.LOCAL_RUNNER ?? resolve(root, "target", "debug", "local-runner");
  const port = await freePort();
  const child = spawn(runner, ["run", "--listen", `127.0.0.1:${port}`, "--web-dir", resolve(root, "web", "dist")], {
    cwd: root,
    env: {
      ...process.env,
      RUST_LOG: process.env.RUST_LOG ?? "warn",
      // Sweeps look back one day, not seven: the arrears journey moves the
      // clock two months, day by day (POST /_local/clock).
      PRINTVAULT_SETTINGS: process.env.PRINTVAULT_SETTINGS ?? '{"sweeps":{"catch_up_days":1}}',
    },
    stdio: ["ignore", "pipe", "inherit"],
    detached: true,
  });
  let out = "";
  const ready = new Promise<void>((ok, fail) => {
    child.once("exit", (code) => fail(new Error(`local-runner exited (${code}) before it was ready:\n${out}`)));
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const moto = /local AWS \(moto\) at (\S+)/.exec(out);
      const api = /printvault API listening on (\S+)\/v1/.exec(out);
      if (moto && api) {
        process.env.PRINTVAULT_MOTO = moto[1]!;
        process.env.PRINTVAULT_WEB = api[1]!;
        ok();
      }
    });
  });
  const limit = setTimeout(() => child.kill("SIGTERM"), 300_000);
  await ready;
  clearTimeout(limit);
  child.stdout!.resume();
  return async () => {
    if (child.pid) process.kill(-child.pid, "SIGINT");
    await new Promise((ok) => {
      const t = setTimeout(() => {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
        ok(null);
      }, 10_000);
      child.once("exit", () => {
        clearTimeout(t);
        ok(null);
      });
    });
  };
}
