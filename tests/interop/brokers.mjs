// The brokers of the interoperability matrix (tests/e2e/interop.test.mjs), each
// started from its registry package on 127.0.0.1 and free ports, with one user
// (alice, right-password), a TCP listener for the independent client
// (mosquitto_pub and mosquitto_sub) and a WebSocket listener for the page.
// Installed by scripts/setup.sh: mosquitto and ejabberd from Debian, aedes from npm
// (tests/interop/package.json), amqtt from PyPI (a venv in ~/.cache/mqtt-lab/amqtt-0.12.1,
// tests/interop/requirements-amqtt.txt), rumqttd from crates.io (cargo install into
// ~/.cache/mqtt-lab/rumqttd-0.20.0). Each is stopped by the id of the process
// group it was started in.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { existsSync, writeFileSync, mkdirSync, chmodSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect } from 'node:net';
import { freePort, sleep } from '../e2e/mosquitto.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const USER = 'alice';
export const PASSWORD = 'right-password';

const MOSQUITTO = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'].find(existsSync) ?? 'mosquitto';
export const RUMQTTD = process.env.RUMQTTD
  ?? join(homedir(), '.cache', 'mqtt-lab', 'rumqttd-0.20.0', 'bin', 'rumqttd');
const AMQTT_VENV = process.env.AMQTT_VENV ?? join(homedir(), '.cache', 'mqtt-lab', 'amqtt-0.12.1');
const AMQTT = join(AMQTT_VENV, 'bin', 'amqtt');

/** Resolves once something accepts on 127.0.0.1:`port`, or throws after `ms`. */
async function accepting(port, ms, what) {
  for (let t = 0; t < ms; t += 100) {
    const ok = await new Promise((r) => {
      const s = connect(port, '127.0.0.1');
      s.on('connect', () => { s.destroy(); r(true); });
      s.on('error', () => r(false));
    });
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`${what} did not listen on ${port} within ${ms} ms`);
}

/** Spawns `cmd` in a process group of its own, output to `log`; stop() kills the group. */
function launch(cmd, args, log, options = {}) {
  const out = [];
  const proc = spawn(cmd, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], ...options });
  proc.stdout.on('data', (d) => out.push(d));
  proc.stderr.on('data', (d) => out.push(d));
  proc.on('exit', () => writeFileSync(log, Buffer.concat(out)));
  return {
    proc,
    output: () => Buffer.concat(out).toString(),
    stop() {
      try { process.kill(-proc.pid, 'SIGKILL'); } catch { /* gone already */ }
    },
  };
}

const first = (s) => s.split('\n')[0].trim();

/**
 * Each broker: its version (asked of the package), the MQTT versions its WebSocket
 * listener speaks ('3' for 3.1.1, '5'), and start(dir) resolving to
 * { tcp, ws (the URL), stop() }.
 */
export const BROKERS = {
  mosquitto: {
    package: 'Debian mosquitto',
    versions: ['3', '5'],
    // `mosquitto -h` prints its version and exits with 3.
    version: () => first(spawnSync(MOSQUITTO, ['-h'], { encoding: 'utf8' }).stdout).replace('mosquitto version ', ''),
    /**
     * `extra`: more lines for mosquitto.conf (e.g. `persistence true`); `tcp` and `ws`:
     * the ports, to start it again where it was (the fault tests' restart).
     */
    async start(dir, { extra = '', tcp: tcpPort, ws: wsPort } = {}) {
      const tcp = tcpPort ?? await freePort();
      const ws = wsPort ?? await freePort();
      // mosquitto started as root drops to its own user, which must read these files
      // (and write its persistence file there).
      chmodSync(dir, extra.includes('persistence true') ? 0o777 : 0o755);
      const passwd = join(dir, 'passwd');
      writeFileSync(passwd, '');
      execFileSync('mosquitto_passwd', ['-b', passwd, USER, PASSWORD]);
      chmodSync(passwd, 0o644);
      const conf = join(dir, 'mosquitto.conf');
      writeFileSync(conf, `per_listener_settings false\n${extra.includes('persistence') ? '' : 'persistence false\n'}allow_anonymous false\npassword_file ${passwd}\n`
        + `${extra}listener ${tcp} 127.0.0.1\nlistener ${ws} 127.0.0.1\nprotocol websockets\n`);
      const b = launch(MOSQUITTO, ['-c', conf], join(dir, 'mosquitto.log'));
      await accepting(tcp, 5000, 'mosquitto');
      await accepting(ws, 5000, 'mosquitto (websockets)');
      return {
        tcp,
        ws: `ws://127.0.0.1:${ws}`,
        wsPort: ws,
        stop: b.stop,
        /** What mosquitto wrote (its log goes to stderr). */
        output: b.output,
        /** SIGTERM, as a service stop does (mosquitto saves its persistence file), resolving on exit. */
        terminate: () => new Promise((resolve) => {
          if (b.proc.exitCode !== null) return resolve();
          b.proc.once('exit', () => resolve());
          process.kill(-b.proc.pid, 'SIGTERM');
        }),
      };
    },
  },
  aedes: {
    package: 'npm aedes',
    versions: ['3'],
    version: () => JSON.parse(readFileSync(join(here, 'node_modules', 'aedes', 'package.json'), 'utf8')).version,
    async start(dir) {
      const tcp = await freePort();
      const ws = await freePort();
      const b = launch(process.execPath, [join(here, 'aedes-server.mjs'), String(tcp), String(ws), USER, PASSWORD],
        join(dir, 'aedes.log'));
      await accepting(tcp, 10000, 'aedes');
      await accepting(ws, 5000, 'aedes (WebSocket)');
      return { tcp, ws: `ws://127.0.0.1:${ws}`, stop: b.stop };
    },
  },
  amqtt: {
    package: 'PyPI amqtt',
    versions: ['3'],
    version: () => first(execFileSync(AMQTT, ['--version'], { encoding: 'utf8' })),
    async start(dir) {
      const tcp = await freePort();
      const ws = await freePort();
      const hash = execFileSync(join(AMQTT_VENV, 'bin', 'python'), ['-c',
        `from pwdlib.hashers.argon2 import Argon2Hasher; print(Argon2Hasher().hash(${JSON.stringify(PASSWORD)}))`],
      { encoding: 'utf8' }).trim();
      const passwd = join(dir, 'amqtt-passwd');
      writeFileSync(passwd, `${USER}:${hash}\n`);
      const conf = join(dir, 'amqtt.yaml');
      writeFileSync(conf, `listeners:\n  default:\n    type: tcp\n    bind: 127.0.0.1:${tcp}\n  ws:\n    type: ws\n    bind: 127.0.0.1:${ws}\n`
        + `plugins:\n  amqtt.plugins.authentication.FileAuthPlugin:\n    password_file: ${passwd}\n`
        + '  amqtt.plugins.sys.broker.BrokerSysPlugin:\n    sys_interval: 10\n');
      const b = launch(AMQTT, ['-c', conf], join(dir, 'amqtt.log'));
      await accepting(tcp, 20000, 'amqtt');
      await accepting(ws, 5000, 'amqtt (websocket)');
      return { tcp, ws: `ws://127.0.0.1:${ws}`, stop: b.stop };
    },
  },
  ejabberd: {
    package: 'Debian ejabberd',
    versions: ['3', '5'],
    version: () => execFileSync('dpkg-query', ['-W', '-f', '${Version}', 'ejabberd'], { encoding: 'utf8' }).trim(),
    async start(dir) {
      const tcp = await freePort();
      const http = await freePort();
      const dist = await freePort();
      // ejabberdctl runs the node as the user ejabberd: a directory of its own.
      const d = join(dir, 'ejabberd');
      mkdirSync(join(d, 'spool'), { recursive: true });
      mkdirSync(join(d, 'logs'), { recursive: true });
      chmodSync(dir, 0o755);
      writeFileSync(join(d, 'ejabberd.yml'), `hosts:\n  - localhost\nloglevel: warning\ncertfiles: []\nauth_method: [internal]\n`
        + `listen:\n  - port: ${tcp}\n    ip: "127.0.0.1"\n    module: mod_mqtt\n`
        + `  - port: ${http}\n    ip: "127.0.0.1"\n    module: ejabberd_http\n    request_handlers:\n      /mqtt: mod_mqtt\n`
        + 'modules:\n  mod_mqtt: {}\n');
      // A distribution port of its own, so no epmd is started (ejabberdctl: ERL_DIST_PORT).
      // ejabberd writes the id of its Erlang VM to EJABBERD_PID_PATH: `su` starts that
      // VM outside the process group of ejabberdctl, so it is stopped by this id.
      const pidFile = join(d, 'ejabberd.pid');
      writeFileSync(join(d, 'ejabberdctl.cfg'), `ERL_DIST_PORT=${dist}\nINET_DIST_INTERFACE=127.0.0.1\nEJABBERD_PID_PATH=${pidFile}\n`);
      execFileSync('chown', ['-R', 'ejabberd:', d]);
      const node = `interop${process.pid}@localhost`;
      const ctl = ['--config', join(d, 'ejabberd.yml'), '--ctl-config', join(d, 'ejabberdctl.cfg'),
        '--spool', join(d, 'spool'), '--logs', join(d, 'logs'), '--node', node];
      const b = launch('/usr/sbin/ejabberdctl', [...ctl, 'foreground'], join(dir, 'ejabberd.log'));
      try {
        await accepting(tcp, 30000, 'ejabberd');
        await accepting(http, 5000, 'ejabberd (http)');
        execFileSync('/usr/sbin/ejabberdctl', [...ctl, 'register', USER, 'localhost', PASSWORD], { stdio: 'ignore' });
      } catch (e) {
        b.stop();
        throw new Error(`${e.message}\n${b.output()}`);
      }
      const vm = Number(readFileSync(pidFile, 'utf8'));
      const stop = () => {
        try { process.kill(vm, 'SIGKILL'); } catch { /* gone already */ }
        b.stop();
      };
      return { tcp, ws: `ws://127.0.0.1:${http}/mqtt`, stop };
    },
  },
  rumqttd: {
    package: 'crates.io rumqttd',
    versions: ['3'],
    version: () => first(execFileSync(RUMQTTD, ['--version'], { encoding: 'utf8' })).replace(/^rumqttd /, ''),
    async start(dir) {
      const tcp = await freePort();
      const ws = await freePort();
      const connections = 'connection_timeout_ms = 60000\nmax_payload_size = 20480\nmax_inflight_count = 100\n'
        + `dynamic_filters = true\nauth = { ${USER} = "${PASSWORD}" }\n`;
      const conf = join(dir, 'rumqttd.toml');
      writeFileSync(conf, 'id = 0\n[router]\nid = 0\nmax_connections = 100\nmax_outgoing_packet_count = 200\n'
        + 'max_segment_size = 104857600\nmax_segment_count = 10\n'
        + `[v4.1]\nname = "v4-1"\nlisten = "127.0.0.1:${tcp}"\nnext_connection_delay_ms = 1\n[v4.1.connections]\n${connections}`
        + `[ws.1]\nname = "ws-1"\nlisten = "127.0.0.1:${ws}"\nnext_connection_delay_ms = 1\n[ws.1.connections]\n${connections}max_client_id_len = 256\nthrottle_delay_ms = 0\nmax_inflight_size = 1024\n`);
      const b = launch(RUMQTTD, ['-c', conf], join(dir, 'rumqttd.log'));
      await accepting(tcp, 10000, 'rumqttd');
      await accepting(ws, 5000, 'rumqttd (ws)');
      return { tcp, ws: `ws://127.0.0.1:${ws}`, stop: b.stop };
    },
  },
};

/** Whether the broker's package is installed here (setup installs all five). */
export function installed(name) {
  try { BROKERS[name].version(); return true; } catch { return false; }
}
