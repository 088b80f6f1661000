// What the core says a page must show, asked of the core itself: the
// `diagram_rows` example (crates/core/examples/diagram_rows.rs) prints the
// rows of every QoS flow, sample and session file as JSON. scripts/test.sh
// builds it before the browser tests; run alone, a test builds it here.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = `${ROOT}target/release/examples/diagram_rows`;

/** The JSON that `diagram_rows ...args` prints. */
export function diagramRows(...args) {
  if (!existsSync(BIN)) {
    execFileSync('cargo', ['build', '--release', '--locked', '-q', '-p', 'mqtt-lab-core', '--example', 'diagram_rows'],
      { cwd: ROOT, stdio: 'inherit' });
  }
  return JSON.parse(execFileSync(BIN, args, { encoding: 'utf8' }));
}
