// Real mosquitto brokers for the tests and benchmarks, on 127.0.0.1 and free ports.
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';

const MOSQUITTO = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'].find(existsSync) ?? 'mosquitto';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export const freePort = () => new Promise((resolve) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});

/**
 * Writes `conf` to the file `path`, starts mosquitto with it, and resolves with
 * the process once the TCP listener on `tcpPort` accepts.
 */
export async function startMosquitto(path, conf, tcpPort) {
  writeFileSync(path, conf);
  const proc = spawn(MOSQUITTO, ['-c', path], { stdio: ['ignore', 'ignore', 'pipe'] });
  // What it said, for the error if it does not start (the end of it only).
  let said = '';
  proc.stderr.on('data', (d) => { said = (said + d).slice(-2000); });
  // One that exits (a port taken, a bad config) is not waited for.
  let exited = false;
  proc.on('close', () => { exited = true; });
  for (let i = 0; i < 50 && !exited; i++) {
    const ok = await new Promise((r) => {
      const s = connect(tcpPort, '127.0.0.1');
      s.on('connect', () => { s.destroy(); r(true); });
      s.on('error', () => r(false));
    });
    if (ok) return proc;
    await sleep(100);
  }
  proc.kill('SIGKILL');
  throw new Error(`mosquitto (${path}) did not start${said ? `: ${said.trim()}` : ''}`);
}
