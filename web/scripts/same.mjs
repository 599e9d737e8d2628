// `node same.mjs A B MESSAGE`: exits 1 with MESSAGE when files A and B differ
// (and removes A, a scratch copy).
import { readFileSync, rmSync } from "node:fs";

const [a, b, message] = process.argv.slice(2);
const same = readFileSync(a, "utf8") === readFileSync(b, "utf8");
rmSync(a, { force: true });
if (!same) {
  console.error(message);
  process.exit(1);
}
