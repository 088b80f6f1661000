#!/usr/bin/env python3
"""The snippet suite: every snippet the app generates, checked against the
real thing, and every claim marked Oracle in crates/core/src/claims.rs asked
of the real system.

    .venv/bin/python tests/snippets/run.py     (scripts/test.sh does this)

1. Picks free loopback ports, makes a test CA and server certificate with
   openssl, a password file (mosquitto_passwd) and ACL files.
2. Has the core write every distinct snippet of the registry's grids with
   those ports and files (crates/core/examples/write_snippets.rs: the
   snippets' Target, not string surgery), plus a manifest.
3. Checks each snippet by kind: Python compiled with warnings as errors and
   run (-W error) against mosquitto or the fake broker; mosquitto.conf by
   starting mosquitto with it; Arduino with g++ -fsyntax-only against
   tests/snippets/stubs; shell with bash -n; systemd as an INI file. Each
   registry id has a behavioural check below; an id without one fails.
4. Runs the claim checks; an Oracle claim without a check fails.

Prints a summary per kind and one closing line "N passed, N failed".
"""

from __future__ import annotations

import collections
import configparser
import importlib.metadata
import json
import logging
import os
import re
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.reasoncodes import ReasonCode

from fake_broker import FakeBroker

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
MOSQUITTO = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
USER = "sensor-0042"
MONITOR_USER = "capacity-monitor"  # the capacity widget's monitor logs in as this user
PASSWORD = secrets.token_hex(8)
PAHO = importlib.metadata.version("paho-mqtt")
PAHO_VERSION = tuple(int(x) for x in PAHO.split(".")[:2])

results: list[tuple[str, str, bool, str]] = []  # (group, name, ok, detail)


def record(group: str, name: str, ok: bool, detail: str = "") -> bool:
    results.append((group, name, ok, detail))
    mark = "ok  " if ok else "FAIL"
    print(f"{mark} {group}: {name}" + (f"\n     {detail}" if not ok and detail else ""), flush=True)
    return ok


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_port(port: int, proc: subprocess.Popen | None = None, timeout: float = 5.0) -> bool:
    end = time.time() + timeout
    while time.time() < end:
        if proc is not None and proc.poll() is not None:
            return False
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


class Mosquitto:
    """A mosquitto process with a given config; stopped on exit."""

    def __init__(self, conf: Path, ports: list[int]):
        self.conf, self.ports = conf, ports
        self.log = conf.with_suffix(".log")

    def __enter__(self) -> "Mosquitto":
        self.out = open(self.log, "w")
        self.proc = subprocess.Popen([MOSQUITTO, "-c", str(self.conf), "-v"], stdout=self.out, stderr=subprocess.STDOUT)
        self.up = all(wait_port(p, self.proc) for p in self.ports)
        return self

    def text(self) -> str:
        self.out.flush()
        return self.log.read_text(errors="replace")

    def __exit__(self, *exc) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.out.close()
        # Let the kernel release the listening ports before the next broker.
        time.sleep(0.05)


def run_python(path: Path, until: str | None = None, timeout: float = 8.0, env: dict | None = None) -> tuple[str, int | None]:
    """Runs a snippet with warnings as errors until its output matches
    `until` (then stops it) or it exits. Returns (output, exit code or None)."""
    proc = subprocess.Popen([PY, "-u", "-W", "error", str(path)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env={**os.environ, **(env or {})}, cwd=path.parent)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: [lines.append(line) for line in proc.stdout], daemon=True)
    reader.start()
    end = time.time() + timeout
    rc = None
    while time.time() < end:
        if until and re.search(until, "".join(lines), re.M):
            break
        rc = proc.poll()
        if rc is not None:
            break
        time.sleep(0.02)
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(3)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    reader.join(2)
    return "".join(lines), rc


def compile_python(path: Path) -> tuple[bool, str]:
    r = subprocess.run([PY, "-W", "error", "-c", "import sys; compile(open(sys.argv[1]).read(), sys.argv[1], 'exec')", str(path)],
                       capture_output=True, text=True)
    return r.returncode == 0, r.stderr.strip()


# --- paho helpers for the checks -------------------------------------------

class Probe:
    """A paho client that records its callbacks."""

    def __init__(self, version=mqtt.MQTTv5, client_id: str = "", tls: bool = False, ca: str = "", user: str | None = None,
                 password: str | None = None, transport: str = "tcp", **kw):
        self.events: list[tuple] = []
        self.c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, protocol=version, transport=transport, **kw)
        if tls:
            self.c.tls_set(ca_certs=ca)
        if user is not None:
            self.c.username_pw_set(user, password)
        self.c.on_connect = lambda c, u, f, rc, p: self.events.append(("connect", rc.value, str(rc)))
        self.c.on_disconnect = lambda c, u, f, rc, p: self.events.append(("disconnect", rc.value, str(rc)))
        self.c.on_connect_fail = lambda c, u: self.events.append(("connect_fail",))
        self.c.on_publish = lambda c, u, mid, rc, p: self.events.append(("publish", rc.value, str(rc)))
        self.c.on_subscribe = lambda c, u, mid, rcs, p: self.events.append(("subscribe", [r.value for r in rcs]))
        self.c.on_message = lambda c, u, m: self.events.append(("message", m.topic, m.payload, m.qos))

    def start(self, port: int, keepalive: int = 30, **connect) -> "Probe":
        self.c.connect_async("127.0.0.1", port, keepalive=keepalive, **connect)
        self.c.loop_start()
        return self

    def wait(self, kind: str, timeout: float = 4.0) -> tuple | None:
        end = time.time() + timeout
        while time.time() < end:
            for e in self.events:
                if e[0] == kind:
                    return e
            time.sleep(0.02)
        return None

    def stop(self) -> None:
        try:
            self.c.disconnect()
        except Exception:  # noqa: BLE001
            pass
        self.c.loop_stop()


class CutProxy:
    """A TCP relay to the broker that cuts its first connection when the broker
    sends a packet of type `cut_type` (the packet is not passed on): the
    connection drop of the QoS stepper, between a real client and a real
    broker. Later connections are relayed whole."""

    def __init__(self, broker_port: int, cut_type: int):
        self.broker_port, self.cut_type, self.cuts = broker_port, cut_type, 0
        self.srv = socket.socket()
        self.srv.bind(("127.0.0.1", 0))
        self.srv.listen(4)
        self.port = self.srv.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                c, _ = self.srv.accept()
            except OSError:
                return
            u = socket.create_connection(("127.0.0.1", self.broker_port))
            threading.Thread(target=self._up, args=(c, u), daemon=True).start()
            threading.Thread(target=self._down, args=(u, c, self.cuts == 0), daemon=True).start()

    @staticmethod
    def _close(*socks: socket.socket) -> None:
        for x in socks:
            try:
                x.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            x.close()

    def _up(self, c: socket.socket, u: socket.socket) -> None:
        try:
            while data := c.recv(65536):
                u.sendall(data)
        except OSError:
            pass
        self._close(c, u)

    def _down(self, u: socket.socket, c: socket.socket, cut: bool) -> None:
        buf = b""
        try:
            while data := u.recv(65536):
                buf += data
                while len(buf) >= 2:
                    # Remaining Length: up to four bytes of seven bits (§2.2.3).
                    size, mult, i = 0, 1, 1
                    while i < len(buf) and i <= 4:
                        size += (buf[i] & 0x7F) * mult
                        mult *= 128
                        i += 1
                        if not buf[i - 1] & 0x80:
                            break
                    else:
                        break
                    if len(buf) < i + size:
                        break
                    packet, buf = buf[:i + size], buf[i + size:]
                    if cut and packet[0] >> 4 == self.cut_type:
                        self.cuts += 1
                        self._close(u, c)
                        return
                    c.sendall(packet)
        except OSError:
            pass
        self._close(u, c)

    def close(self) -> None:
        self.srv.close()


def raw_connack(port: int, timeout: float = 2.0) -> socket.socket | None:
    """A bare MQTT 3.1.1 CONNECT (empty client id, clean session) on a new
    socket: the socket, held open, if CONNACK 0 came back; None if the broker
    closed it or answered anything else."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.sendall(bytes([0x10, 12, 0, 4]) + b"MQTT" + bytes([4, 2, 0, 60, 0, 0]))
    try:
        got = s.recv(4)
    except OSError:
        got = b""
    if got == bytes([0x20, 2, 0, 0]):
        return s
    s.close()
    return None


def connack(port: int, **kw) -> tuple | None:
    """The first on_connect or on_connect_fail of a client, then stop it."""
    p = Probe(**kw).start(port)
    end = time.time() + 5
    ev = None
    while time.time() < end and ev is None:
        ev = next((e for e in p.events if e[0] in ("connect", "connect_fail", "disconnect")), None)
        time.sleep(0.02)
    p.stop()
    return ev


# --- the environment ---------------------------------------------------------

class Env:
    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.port, self.tls_port, self.ws_port = free_port(), free_port(), free_port()
        self.ca, self.cert, self.key = tmp / "ca.crt", tmp / "server.crt", tmp / "server.key"
        self.passwd, self.acl = tmp / "passwd", tmp / "acl"
        self.make_files()

    def make_files(self) -> None:
        t = self.tmp
        def ossl(*args: str) -> None:
            subprocess.run(["openssl", *args], check=True, capture_output=True)
        ossl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", str(t / "ca.key"),
             "-out", str(self.ca), "-days", "2", "-subj", "/CN=MQTT Lab test CA")
        ossl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", str(self.key),
             "-out", str(t / "server.csr"), "-subj", "/CN=127.0.0.1")
        (t / "san.ext").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
        ossl("x509", "-req", "-in", str(t / "server.csr"), "-CA", str(self.ca), "-CAkey", str(t / "ca.key"), "-CAcreateserial",
             "-out", str(self.cert), "-days", "2", "-extfile", str(t / "san.ext"))
        self.passwd.write_text("")
        subprocess.run(["mosquitto_passwd", "-b", str(self.passwd), USER, PASSWORD], check=True, capture_output=True)
        subprocess.run(["mosquitto_passwd", "-b", str(self.passwd), MONITOR_USER, PASSWORD], check=True, capture_output=True)
        # The ACL the broker-cost snippet describes in its comments.
        self.acl.write_text("pattern write devices/%c/#\npattern read devices/%c/commands/#\nuser dashboard\ntopic read devices/#\n")
        # mosquitto started as root drops to the user "mosquitto": let it read the test files.
        for f in t.iterdir():
            f.chmod(0o644)
        t.chmod(0o755)

    def target_args(self) -> list[str]:
        return [f"host=127.0.0.1", f"port={self.port}", f"tls_port={self.tls_port}", f"ws_port={self.ws_port}", "bind=127.0.0.1",
                f"ca_file={self.ca}", f"broker_ca_file={self.ca}", f"broker_cert_file={self.cert}", f"broker_key_file={self.key}",
                f"password_file={self.passwd}", f"acl_file={self.acl}"]

    def conf(self, name: str, text: str) -> Path:
        p = self.tmp / name
        p.write_text(text)
        p.chmod(0o644)
        return p

    def reference(self, extra: str = "") -> Mosquitto:
        """The broker the client snippets run against: plain TCP, TLS (anonymous
        or the test user) and WebSocket, all on loopback."""
        conf = self.conf("reference.conf", f"""per_listener_settings true
sys_interval 1
listener {self.port} 127.0.0.1
allow_anonymous true
listener {self.tls_port} 127.0.0.1
allow_anonymous true
password_file {self.passwd}
cafile {self.ca}
certfile {self.cert}
keyfile {self.key}
listener {self.ws_port} 127.0.0.1
protocol websockets
allow_anonymous true
{extra}
""")
        return Mosquitto(conf, [self.port, self.tls_port])

    def tls_context(self) -> ssl.SSLContext:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(self.cert, self.key)
        return ctx


class Subscriber:
    """A harness-side subscriber that records what a snippet publishes."""

    def __init__(self, env: Env, topic: str):
        self.p = Probe(client_id="harness-sub")
        self.topic = topic
        self.p.c.on_connect = lambda c, u, f, rc, pr: c.subscribe(topic, qos=2)
        self.p.start(env.port)

    def __enter__(self) -> "Subscriber":
        self.p.wait("subscribe")
        return self

    def got(self, payload: bytes, timeout: float = 5.0) -> bool:
        end = time.time() + timeout
        while time.time() < end:
            if any(e[0] == "message" and e[2] == payload for e in self.p.events):
                return True
            time.sleep(0.05)
        return False

    def __exit__(self, *exc) -> None:
        self.p.stop()


# --- checks per registry id --------------------------------------------------

def check_reason_code(env: Env, s: dict, path: Path) -> None:
    pr = s["params"]
    version, packet, code, paho_code = pr["version"], pr["packet"], int(pr["code"]), int(pr["paho_code"])
    name = f"{s['name']}"
    text = path.read_text()
    pt = getattr(PacketTypes, packet.upper())
    real = str(ReasonCode(pt, identifier=paho_code))
    m = re.search(r'if reason_code == (\d+):  # 0x[0-9A-F]{2}, "([^"]*)" in paho-mqtt', text)
    if m:
        record("reason-code names", name, m.group(2) == real and int(m.group(1)) == paho_code,
               f"snippet says {m.group(1)} \"{m.group(2)}\", paho 2.x says {paho_code} \"{real}\"")
    if packet == "pubrec":
        expect = r"on_publish: " + ("Packet identifier not found" if code >= 0x80 else "Success")
    elif packet == "pubrel":
        expect = r"received sensors/0042"
    elif packet == "auth":
        expect = r"disconnected: " + ("Protocol error" if PAHO_VERSION >= (2, 2) else "Unspecified error")
    else:
        expect = rf"^\s*(ok: |refused: |){re.escape(real)}(; not retrying|: retrying with backoff|: reconnecting|)$"
    if version == "3" and packet == "disconnect":
        return
    with FakeBroker(env.port, packet, code) as fb:
        out, rc = run_python(path, until=expect)
    ok = re.search(expect, out, re.M) is not None and not re.search(r"^other", out, re.M) and "Traceback" not in out
    detail = f"expected /{expect}/, got: {out.strip()[-400:]}"
    if version == "3" and packet == "connack" and code == 1:
        ok = ok and fb.connects[:2] == [4, 3]
        detail += f"; CONNECT levels {fb.connects}"
    record("python (fake broker)", f"reason-codes {name}", ok, detail)


def reason_codes_on_mosquitto(env: Env, snippets: list[dict], dir_: Path) -> None:
    """The codes mosquitto 2.0.11 can be made to send, from mosquitto itself."""
    by_key = {(s["params"]["version"], s["params"]["packet"], int(s["params"]["code"])): dir_ / s["file"] for s in snippets}
    allow = env.tmp / "acl-sensors"
    allow.write_text("topic readwrite sensors/#\n")
    deny = env.tmp / "acl-other"
    deny.write_text("topic readwrite other/#\n")
    for f in (allow, deny):
        f.chmod(0o644)
    plans = [
        (f"allow_anonymous true\nacl_file {allow}\n", [("5", "connack", 0, "ok: Success"), ("3", "connack", 0, "ok: Success"),
                                                     ("5", "puback", 0x10, "ok: No matching subscribers"),
                                                     ("5", "suback", 2, "ok: Granted QoS 2"),
                                                     ("5", "unsuback", 0, "ok: Success")]),
        (f"allow_anonymous true\nacl_file {deny}\n", [("5", "puback", 0x87, "refused: Not authorized; not retrying"),
                                                    ("5", "pubrec", 0x87, "on_publish: Success")]),
        ("", [("5", "connack", 0x87, "refused: Not authorized; not retrying"),
              ("3", "connack", 5, "refused: Not authorized; not retrying")]),
    ]
    for n, (extra, cases) in enumerate(plans):
        conf = env.conf(f"rc{n}.conf", f"listener {env.port} 127.0.0.1\n{extra}")
        with Mosquitto(conf, [env.port]) as b:
            for version, packet, code, expect in cases:
                path = by_key.get((version, packet, code))
                if path is None:
                    record("python (mosquitto)", f"reason-codes {version} {packet} {code}", False, "no such snippet")
                    continue
                out, _ = run_python(path, until=re.escape(expect))
                record("python (mosquitto)", f"reason-codes MQTT {version} {packet} 0x{code:02X} from mosquitto", expect in out,
                       f"expected '{expect}', got: {out.strip()[-300:]}")


def check_capacity_conf(env: Env, s: dict, path: Path) -> None:
    limit = int(s["params"]["max_connections"])
    tls = dict(tls=True, ca=str(env.ca))
    user = dict(client_id=USER, user=USER, password=PASSWORD)
    with Mosquitto(path, [env.tls_port]) as b:
        if not record("mosquitto.conf", f"capacity {s['name']}: starts", b.up, b.text()[-500:]):
            return
        # First, on a fresh broker: mosquitto 2.0.11 counts wrongly once
        # clients have come and gone (claim mosquitto-max-connections-2011).
        if limit <= 20:
            held = [socket.create_connection(("127.0.0.1", env.tls_port)) for _ in range(limit)]
            time.sleep(0.3)
            ev = connack(env.tls_port, **user, **tls)
            ok = ev == ("connect_fail",) and "denied: max_connections exceeded" in b.text()
            record("mosquitto.conf", f"capacity {s['name']}: max_connections {limit} refuses the next client (paho: on_connect_fail)", ok, f"{ev}")
            out, _ = run_python(ROOT_SNIPPETS[("capacity.on-connect", "")], until="Connection failed before any CONNACK",
                                env={"MQTT_PASSWORD": PASSWORD})
            record("python (mosquitto)", f"capacity on_connect at max_connections {limit}: its on_connect_fail branch",
                   "Connection failed before any CONNACK; retrying with backoff." in out, out[-300:])
            held.pop().close()
            time.sleep(0.3)
            ev = connack(env.tls_port, **user, **tls)
            record("mosquitto.conf", f"capacity {s['name']}: below the limit again, accepted", (ev or ())[:2] == ("connect", 0), f"{ev}")
            for h in held:
                h.close()
        record("mosquitto.conf", f"capacity {s['name']}: refuses a client without a password (135)",
               (connack(env.tls_port, **tls) or ())[:2] == ("connect", 135))
        record("mosquitto.conf", f"capacity {s['name']}: accepts {USER} with its password over TLS",
               (connack(env.tls_port, **user, **tls) or ())[:2] == ("connect", 0))
        record("mosquitto.conf", f"capacity {s['name']}: plain MQTT on the TLS port gets no CONNACK",
               (connack(env.tls_port, client_id="plain") or ("none",))[0] != "connect")
        # The widget's two clients against the widget's own configuration
        # (allow_anonymous false, a password file): they log in, and a wrong
        # password takes their refusal branch (issue 22, item 13).
        out, rc = run_python(ROOT_SNIPPETS[("capacity.on-connect", "")], until="Connected: ", env={"MQTT_PASSWORD": PASSWORD})
        record("python (mosquitto)", f"capacity on_connect logs in to this broker as {USER}: CONNACK 0",
               "Connected: Success" in out, out[-300:])
        out, rc = run_python(ROOT_SNIPPETS[("capacity.on-connect", "")], until="Fix the configuration", env={"MQTT_PASSWORD": "wrong"})
        record("python (mosquitto)", "capacity on_connect with a wrong password: refused (135), FATAL branch",
               "Refused: Not authorized. Fix the configuration; not retrying." in out, out[-300:])
        out, rc = run_python(ROOT_SNIPPETS[("capacity.monitor", "")], until=r"^\d+/\d+ connections", timeout=6,
                             env={"MQTT_PASSWORD": PASSWORD})
        record("python (mosquitto)", f"capacity monitor logs in to this broker as {MONITOR_USER} and reads $SYS",
               re.search(r"^\d+/\d+ connections", out, re.M) is not None, out[-300:])
        out, rc = run_python(ROOT_SNIPPETS[("capacity.monitor", "")], timeout=6, env={"MQTT_PASSWORD": "wrong"})
        record("python (mosquitto)", "capacity monitor with a wrong password: reports the refusal (135) and exits",
               "Refused: Not authorized. Fix the credentials; not retrying." in out and rc == 0, f"rc={rc} {out[-300:]}")


def capacity_on_connect_refusals(env: Env) -> None:
    """The on_connect snippet's branches, driven by a fake TLS broker's CONNACK."""
    path = ROOT_SNIPPETS[("capacity.on-connect", "")]
    for code, expect in ((135, "Refused: Not authorized. Fix the configuration; not retrying."),
                         (159, "Broker at capacity: Connection rate exceeded. Retrying with backoff.")):
        with FakeBroker(env.tls_port, "connack", code, tls=env.tls_context()):
            out, _ = run_python(path, until=re.escape(expect), timeout=8, env={"MQTT_PASSWORD": PASSWORD})
        record("python (fake broker)", f"capacity on_connect handles CONNACK {code}", expect in out, out[-300:])


def check_broker_cost_conf(env: Env, s: dict, path: Path) -> None:
    with Mosquitto(path, [env.tls_port]) as b:
        if not record("mosquitto.conf", "broker-cost: starts and stays up", b.up and (time.sleep(0.5) or b.proc.poll() is None), b.text()[-500:]):
            return
        tls = dict(tls=True, ca=str(env.ca))
        for version, code in ((mqtt.MQTTv5, 135), (mqtt.MQTTv311, 135)):
            ev = connack(env.tls_port, version=version, **tls)
            record("mosquitto.conf", f"broker-cost: refuses a client without a user name (MQTT {version}: {code})", (ev or ())[:2] == ("connect", code), f"{ev}")
        ev = connack(env.tls_port, client_id=USER, user=USER, password="wrong", **tls)
        record("mosquitto.conf", "broker-cost: refuses a wrong password with 135", (ev or ())[:2] == ("connect", 135), f"{ev}")
        ev = connack(env.tls_port, client_id=USER, user=USER, password=PASSWORD, **tls)
        record("mosquitto.conf", "broker-cost: accepts the user with its password over TLS", (ev or ())[:2] == ("connect", 0), f"{ev}")
        ev = connack(env.tls_port, client_id=USER, user=USER, password=PASSWORD)
        record("mosquitto.conf", "broker-cost: TLS required on the TLS port (plain MQTT gets no CONNACK)", (ev or ("none",))[0] != "connect", f"{ev}")
        out, _ = run_python(ROOT_SNIPPETS[("broker-cost.client", "")], until="on_connect", env={"MQTT_PASSWORD": PASSWORD})
        time.sleep(0.5)
        log = b.text()
        record("python (mosquitto)", "broker-cost client: CONNACK 0 over TLS, publishes under its own id (ACL)",
               "on_connect: Success" in out and f"Received PUBLISH from {USER}" in log and "Denied PUBLISH" not in log, out[-300:])


def check_live_broker(env: Env, s: dict, path: Path) -> None:
    with Mosquitto(path, [env.port, env.ws_port]) as b:
        if not record("mosquitto.conf", "live recipe: starts", b.up, b.text()[-500:]):
            return
        for transport, port in (("websockets", env.ws_port), ("tcp", env.port)):
            ev = connack(port, transport=transport)
            record("mosquitto.conf", f"live recipe: CONNACK 0 over {transport}", (ev or ())[:2] == ("connect", 0), f"{ev}")
        record("claim", "mosquitto-websockets-bind: the websockets listener listens on every interface",
               listening_everywhere(env.ws_port) and not listening_everywhere(env.port))


def listening_everywhere(port: int) -> bool:
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            addr, p = local.split(":")
            if state == "0A" and int(p, 16) == port and set(addr) == {"0"}:
                return True
    return False


def check_client(env: Env, s: dict, path: Path) -> None:
    sid = s["id"]
    name = f"{sid} {s['name']}"
    if sid in ("capacity.on-connect",):
        out, _ = run_python(path, until="Connected: Success", env={"MQTT_PASSWORD": PASSWORD})
        record("python (mosquitto)", name + ": CONNACK 0 over TLS", "Connected: Success" in out, out[-300:])
    elif sid == "capacity.monitor":
        out, _ = run_python(path, until=r"^\d+/\d+ connections", timeout=6, env={"MQTT_PASSWORD": PASSWORD})
        limit = s["params"]["limit"]
        record("python (mosquitto)", name + ": reads $SYS/broker/clients/connected", re.search(rf"^\d+/{limit} connections", out, re.M) is not None, out[-300:])
    elif sid in ("backoff.python", "tls-timeout.paho"):
        out, _ = run_python(path, until="on_connect: ")
        record("python (mosquitto)", name + ": CONNACK 0 over TLS", "on_connect: Success" in out, out[-300:])
    elif sid == "battery.python":
        strategy = s["params"]["strategy"]
        if strategy == "loop_forever":
            pub = Probe(client_id="harness-pub").start(env.port)
            pub.wait("connect")
            def publish_later() -> None:
                time.sleep(0.8)
                pub.c.publish("farm/field7/moisture", "45", qos=1)
            threading.Thread(target=publish_later, daemon=True).start()
            out, _ = run_python(path, until="farm/field7/moisture 45")
            pub.stop()
            record("python (mosquitto)", name + ": receives what is published", "farm/field7/moisture 45" in out, out[-300:])
        else:
            with Subscriber(env, "farm/#") as sub:
                out, rc = run_python(path, until=None if strategy == "loop" else r"(?!)", timeout=3 if strategy != "loop" else 8)
                ok = sub.got(b"45")
                if strategy == "loop":
                    ok = ok and rc == 0
            record("python (mosquitto)", name + ": publishes at QoS 1" + (" and exits" if strategy == "loop" else ""), ok, f"rc={rc} {out[-300:]}")
    elif sid == "qos.python":
        with Subscriber(env, "farm/+/moisture") as sub:
            out, rc = run_python(path, timeout=10)
            ok = rc == 0 and sub.got(b"45") and "Traceback" not in out
        record("python (mosquitto)", name + ": publishes over TLS at its QoS and exits", ok, f"rc={rc} {out[-300:]}")
    elif sid == "broker-cost.client":
        pass  # run against the broker-cost configuration (check_broker_cost_conf)
    else:
        record("python", name, False, "no behavioural check for this registry id")


def check_arduino(env: Env, s: dict, path: Path) -> None:
    r = subprocess.run(["g++", "-fsyntax-only", "-std=c++17", "-Wall", "-Werror", "-x", "c++", "-include", "Arduino.h",
                        "-I", str(ROOT / "tests/snippets/stubs"), str(path)], capture_output=True, text=True)
    record("arduino (g++ -fsyntax-only)", f"{s['id']} {s['name']}", r.returncode == 0, r.stderr[-500:])


def check_shell(env: Env, s: dict, path: Path) -> None:
    r = subprocess.run(["bash", "-n", str(path)], capture_output=True, text=True)
    record("shell (bash -n)", f"{s['id']} {s['name']}", r.returncode == 0, r.stderr)
    if s["id"] == "capacity.file-limit":
        n = int(s["params"]["nofile"])
        nr_open = int(Path("/proc/sys/fs/nr_open").read_text())
        r = subprocess.run(["bash", "-c", f"ulimit -n {n}"], capture_output=True, text=True)
        warned = "fs.nr_open" in path.read_text()
        record("shell (run)", f"capacity ulimit -n {n}: works, or the snippet warns about fs.nr_open ({nr_open})",
               (r.returncode == 0) != warned if os.geteuid() == 0 else warned == (n > 1_048_576), r.stderr)


def check_systemd(env: Env, s: dict, path: Path) -> None:
    cp = configparser.ConfigParser(strict=True)
    cp.optionxform = str
    try:
        cp.read_string(path.read_text())
        ok = cp.get("Service", "LimitNOFILE") == s["params"]["nofile"]
        detail = ""
    except configparser.Error as e:
        ok, detail = False, str(e)
    record("systemd (INI)", f"{s['id']} {s['name']}", ok, detail)


# --- claims asked of paho and mosquitto ------------------------------------

def claim_checks(env: Env, manifest: dict, dir_: Path) -> dict:
    def fake(packet: str, code: int, **kw):
        return FakeBroker(env.port, packet, code, **kw)

    def v311_connack() -> bool:
        ok = True
        for rc, want in ((2, 133), (3, 136), (4, 134), (5, 135)):
            with fake("connack", rc):
                ev = connack(env.port, version=mqtt.MQTTv311, client_id="x")
            ok = ok and (ev or ())[:2] == ("connect", want)
        return ok

    def rc1_downgrade() -> bool:
        with fake("connack", 1) as fb:
            ev = connack(env.port, version=mqtt.MQTTv311, client_id="x")
        return (ev or ())[:2] == ("connect", 132) and fb.connects[:2] == [4, 3]

    def names() -> bool:
        rc = ReasonCode(PacketTypes.CONNACK, identifier=134)
        return rc == 134 and rc == "Bad user name or password" and not rc == "Bad User Name or Password"

    def qos2_on_publish(packet: str, code: int) -> tuple | None:
        """What on_publish gets for a QoS 2 message when `packet` carries `code`."""
        p = Probe()
        with fake(packet, code):
            p.start(env.port)
            p.wait("connect")
            p.c.publish("sensors/x", "1", qos=2)
            ev = p.wait("publish")
            p.stop()
        return ev

    def pubrec_ignored() -> bool:
        # PUBREC 0x87, then the broker's PUBCOMP 0x92: on_publish sees only the latter.
        return (qos2_on_publish("pubrec", 0x87) or ())[:2] == ("publish", 0x92)

    def pubcomp() -> bool:
        return (qos2_on_publish("pubcomp", 0x92) or ())[:2] == ("publish", 0x92)

    def no_auth() -> bool:
        p = Probe()
        with fake("auth", 0x18):
            p.start(env.port)
            ev = p.wait("disconnect")
            p.stop()
        return (ev or ())[:2] == ("disconnect", 130 if PAHO_VERSION >= (2, 2) else 128)

    def enable_logger() -> bool:
        prog = env.tmp / "logger.py"
        body = ("import logging, time, paho.mqtt.client as mqtt\n{setup}"
                "c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)\nc.enable_logger()\n"
                f"c.connect('127.0.0.1', {env.port})\nc.loop_start()\ntime.sleep(0.5)\nc.loop_stop()\n")
        # An exception in on_connect is logged at ERROR: with enable_logger()
        # and no logging configuration at all, it prints through logging's
        # last-resort handler (issue 22, item 4).
        raising = env.tmp / "logger-raise.py"
        raising.write_text("import paho.mqtt.client as mqtt\n"
                           "def on_connect(client, userdata, flags, reason_code, properties):\n"
                           "    raise RuntimeError('boom')\n"
                           "c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)\nc.enable_logger()\nc.on_connect = on_connect\n"
                           f"c.connect('127.0.0.1', {env.port})\n"
                           "try:\n    for _ in range(30):\n        c.loop(timeout=0.1)\nexcept RuntimeError:\n    print('raised')\n")
        with env.reference():
            prog.write_text(body.format(setup=""))
            quiet, _ = run_python(prog)
            prog.write_text(body.format(setup="logging.basicConfig(level=logging.DEBUG)\n"))
            loud, _ = run_python(prog)
            error, _ = run_python(raising)
        return ("Received CONNACK" not in quiet and "Received CONNACK" in loud
                and "Caught exception in on_connect: boom" in error and "raised" in error and "Received CONNACK" not in error)

    def resend() -> bool:
        ok = True
        for version, connect in ((mqtt.MQTTv5, {"clean_start": True}), (mqtt.MQTTv311, {})):
            # MQTT 5 with clean start on every connection; 3.1.1 with clean_session=True (the default).
            with fake("", 0, mode="drop-first-publish") as fb:
                p = Probe(version=version, client_id="pub")
                p.c.reconnect_delay_set(1, 1)
                p.start(env.port, **connect)
                p.wait("connect")
                p.c.publish("farm/x", "45", qos=1)
                p.wait("publish", 6)
                p.stop()
            ok = ok and len(fb.publishes) >= 2 and not fb.publishes[0][0] & 0x08 and bool(fb.publishes[1][0] & 0x08)
        return ok

    def handshake_timeout() -> bool:
        srv = socket.socket()
        srv.bind(("127.0.0.1", 0))
        srv.listen(1)
        port = srv.getsockname()[1]
        c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
        c.tls_set(ca_certs=str(env.ca))
        c.connect_timeout = 1.0
        t0 = time.time()
        try:
            c.connect("127.0.0.1", port, keepalive=20)
            ok = False
        except OSError:
            took = time.time() - t0
            ok = took < 5 if PAHO_VERSION >= (2, 2) else took >= 19
        srv.close()
        return ok

    def wildcard() -> bool:
        c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
        try:
            c.publish("a/+/b", "x")
        except ValueError:
            return True
        return False

    def v311_suback() -> bool:
        p = Probe(version=mqtt.MQTTv311)
        with fake("suback", 0x80):
            p.start(env.port)
            p.wait("connect")
            p.c.subscribe("sensors/#", 1)
            ev = p.wait("subscribe")
            p.stop()
        return ev == ("subscribe", [128])

    def on_mosquitto(extra: str, fn) -> bool:
        with env.reference(extra) as b:
            return b.up and fn(b)

    def connect_fail_tls() -> bool:
        # A fresh broker (2.0.11 miscounts once clients have come and gone:
        # see mosquitto-max-connections-2011), one client holding the only slot.
        conf = env.conf("maxconn.conf", f"listener {env.tls_port} 127.0.0.1\nallow_anonymous true\nmax_connections 1\n"
                                        f"cafile {env.ca}\ncertfile {env.cert}\nkeyfile {env.key}\n")
        with Mosquitto(conf, [env.tls_port]) as b:
            holder = Probe(client_id="holder", tls=True, ca=str(env.ca)).start(env.tls_port)
            holder.wait("connect")
            ev = connack(env.tls_port, tls=True, ca=str(env.ca))
            holder.stop()
            return ev == ("connect_fail",) and "denied: max_connections exceeded" in b.text()

    def queue_qos0() -> bool:
        # A subscriber with a persistent session (MQTT 5, clean start off,
        # session expiry 1 h) subscribes to q/one at QoS 1 and q/zero at QoS 0
        # and goes away; one message is published to each; when it returns,
        # mosquitto (defaults) delivers the QoS 1 one and not the QoS 0 one.
        def fn(b: Mosquitto) -> bool:
            from paho.mqtt.properties import Properties

            def kept() -> Properties:
                props = Properties(PacketTypes.CONNECT)
                props.SessionExpiryInterval = 3600
                return props
            sub = Probe(client_id="q0-sub").start(env.port, clean_start=False, properties=kept())
            if not sub.wait("connect"):
                return False
            sub.c.subscribe([("q/one", 1), ("q/zero", 0)])
            if sub.wait("subscribe") != ("subscribe", [1, 0]):
                return False
            sub.stop()
            pub = Probe(client_id="q0-pub").start(env.port)
            pub.wait("connect")
            pub.c.publish("q/one", "kept", qos=1).wait_for_publish(3)
            pub.c.publish("q/zero", "dropped", qos=0).wait_for_publish(3)
            time.sleep(0.3)
            pub.stop()
            back = Probe(client_id="q0-sub").start(env.port, clean_start=False, properties=kept())
            ev = back.wait("connect")
            back.wait("message", 3)
            time.sleep(0.5)
            back.stop()
            payloads = [e[2] for e in back.events if e[0] == "message"]
            return (ev or ())[:2] == ("connect", 0) and payloads == [b"kept"]
        return on_mosquitto("", fn)

    def network_loop() -> bool:
        # No loop at all: connect(), subscribe() and a QoS 0 publish() are
        # written at once; another client receives the message and on_publish
        # fires. Nothing is read: no on_connect, on_subscribe or on_message,
        # although the client's own subscription matches its message.
        def fn(b: Mosquitto) -> bool:
            sub = Probe(client_id="noloop-sub").start(env.port)
            if not sub.wait("connect"):
                return False
            sub.c.subscribe("noloop/t", 0)
            sub.wait("subscribe")
            fired: list[str] = []
            c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="noloop")
            c.on_connect = lambda *a: fired.append("connect")
            c.on_subscribe = lambda *a: fired.append("subscribe")
            c.on_message = lambda *a: fired.append("message")
            c.on_publish = lambda *a: fired.append("publish")
            c.connect("127.0.0.1", env.port)
            c.subscribe("noloop/t", 0)
            info = c.publish("noloop/t", "no loop", qos=0)
            got = sub.wait("message", 3)
            time.sleep(0.5)
            sub.stop()
            c.disconnect()
            return (got or ())[:3] == ("message", "noloop/t", b"no loop") and fired == ["publish"] and info.is_published()
        return on_mosquitto("", fn)

    def disconnect_writes() -> bool:
        # The battery snippet's manual loop: after disconnect() with no loop
        # thread, mosquitto has received the DISCONNECT, and loop() returns 4.
        def fn(b: Mosquitto) -> bool:
            c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="disc-writes")
            c.connect("127.0.0.1", env.port)
            info = c.publish("disc/t", "45", qos=1)
            end = time.time() + 5
            while not info.is_published() and time.time() < end:
                c.loop(timeout=0.1)
            c.disconnect()
            time.sleep(0.5)
            rc = c.loop(timeout=0.1)
            return info.is_published() and rc == mqtt.MQTT_ERR_NO_CONN == 4 and "Received DISCONNECT from disc-writes" in b.text()
        return on_mosquitto("", fn)

    def loop_ends() -> bool:
        # loop_forever() returns after disconnect() (here in on_publish), and
        # loop_stop() ends loop_start()'s thread.
        def fn(b: Mosquitto) -> bool:
            c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="loop-ends")
            c.on_connect = lambda cl, u, f, rc, p: cl.publish("ends/t", "45", qos=1)
            c.on_publish = lambda cl, u, mid, rc, p: cl.disconnect()
            c.connect("127.0.0.1", env.port)
            returned = threading.Event()
            threading.Thread(target=lambda: (c.loop_forever(), returned.set()), daemon=True).start()
            forever_ok = returned.wait(5)
            s = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="loop-stop")
            s.connect("127.0.0.1", env.port)
            s.loop_start()
            name = "paho-mqtt-client-loop-stop"
            started = any(t.name == name for t in threading.enumerate())
            time.sleep(0.3)
            s.disconnect()
            s.loop_stop()
            stopped = not any(t.name == name and t.is_alive() for t in threading.enumerate())
            return forever_ok and started and stopped
        return on_mosquitto("", fn)

    def loop_start_idle() -> bool:
        # loop_start() runs the loop in a thread of its own, which waits in
        # select(): one idle second of a connected client costs next to no CPU.
        def fn(b: Mosquitto) -> bool:
            c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="idle")
            connected = threading.Event()
            c.on_connect = lambda *a: connected.set()
            c.connect("127.0.0.1", env.port, keepalive=60)
            c.loop_start()
            ok = connected.wait(3)
            thread = any(t.name == "paho-mqtt-client-idle" and t.is_alive() for t in threading.enumerate())
            cpu = time.process_time()
            time.sleep(1.0)
            cpu = time.process_time() - cpu
            c.disconnect()
            c.loop_stop()
            return ok and thread and cpu < 0.2
        return on_mosquitto("", fn)

    def loop_return() -> bool:
        # The backoff snippet's own loop: loop() returns 0 while connected and
        # 7 (MQTT_ERR_CONN_LOST) once mosquitto closes the connection (here a
        # second client with the same id takes it over).
        def fn(b: Mosquitto) -> bool:
            c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="own-loop")
            connected = threading.Event()
            c.on_connect = lambda *a: connected.set()
            c.connect("127.0.0.1", env.port, keepalive=60)
            codes = []
            end = time.time() + 3
            while not connected.is_set() and time.time() < end:
                codes.append(c.loop(timeout=0.1))
            other = Probe(client_id="own-loop").start(env.port)
            other.wait("connect")
            rc = mqtt.MQTT_ERR_SUCCESS
            end = time.time() + 5
            while rc == mqtt.MQTT_ERR_SUCCESS and time.time() < end:
                rc = c.loop(timeout=0.1)
            other.stop()
            return connected.is_set() and set(codes) == {0} and rc == mqtt.MQTT_ERR_CONN_LOST == 7
        return on_mosquitto("", fn)

    def max_connections_2011() -> bool:
        conf = env.conf("maxconn2.conf", f"""listener {env.tls_port} 127.0.0.1
allow_anonymous true
max_connections 2
cafile {env.ca}
certfile {env.cert}
keyfile {env.key}
""")
        ctx = ssl.create_default_context(cafile=str(env.ca))
        with Mosquitto(conf, [env.tls_port]):
            for _ in range(2):  # two clients come and go
                if (connack(env.tls_port, tls=True, ca=str(env.ca)) or ())[:2] != ("connect", 0):
                    return False
            time.sleep(0.3)
            held = []
            for _ in range(6):
                try:
                    held.append(ctx.wrap_socket(socket.create_connection(("127.0.0.1", env.tls_port), timeout=2), server_hostname="127.0.0.1"))
                except (OSError, ssl.SSLError):
                    break
            for h in held:
                h.close()
        # The same on a plain TCP listener (issue 22, item 6): admitted means
        # a CONNACK came back.
        # No wait_port probe here: on plain TCP that probe is a client that
        # comes and goes too, and would be miscounted as well.
        conf = env.conf("maxconn3.conf", f"listener {env.port} 127.0.0.1\nallow_anonymous true\nmax_connections 2\n")
        with Mosquitto(conf, []):
            time.sleep(0.5)
            for _ in range(2):  # two clients come and go
                if (connack(env.port) or ())[:2] != ("connect", 0):
                    return False
            time.sleep(0.3)
            held_tcp = []
            for _ in range(6):
                s = raw_connack(env.port)
                if s is None:
                    break
                held_tcp.append(s)
            for h in held_tcp:
                h.close()
        # 2.0.11 lets one more in per client that has come and gone.
        return len(held) == 4 and len(held_tcp) == 4

    def takeover() -> bool:
        def fn(b: Mosquitto) -> bool:
            a = Probe(client_id="same").start(env.port)
            a.wait("connect")
            c = Probe(client_id="same").start(env.port)
            c.wait("connect")
            ev = a.wait("disconnect")
            a.c.loop_stop()
            c.stop()
            return (ev or ())[:2] == ("disconnect", 128) and "already connected, closing old connection" in b.text()
        return on_mosquitto("", fn)

    def oversize() -> bool:
        def fn(b: Mosquitto) -> bool:
            p = Probe().start(env.port)
            p.wait("connect")
            p.c.publish("t", b"x" * 100, qos=1)
            ev = p.wait("disconnect")
            p.c.loop_stop()
            puback = re.search(r"Sending PUBACK to \S+ \(m1, rc149\)", b.text()) is not None
            want = 130 if PAHO_VERSION >= (2, 2) else None
            return puback and (ev or ())[:2] == ("disconnect", want) if want else puback
        return on_mosquitto("message_size_limit 10", fn)

    def max_packet() -> bool:
        conf = env.conf("maxpacket.conf", f"listener {env.port} 127.0.0.1\nallow_anonymous true\nmax_packet_size 200\n")
        with Mosquitto(conf, [env.port]):
            p = Probe().start(env.port)
            p.wait("connect")
            p.c.publish("t", b"x" * 500, qos=1)
            ev = p.wait("disconnect")
            p.c.loop_stop()
        return (ev or ())[:2] == ("disconnect", 0x95)

    def wildcard_publish() -> bool:
        def fn(b: Mosquitto) -> bool:
            s = socket.create_connection(("127.0.0.1", env.port))
            s.sendall(bytes([0x10, 13, 0, 4]) + b"MQTT" + bytes([5, 2, 0, 60, 0, 0, 0]))
            s.recv(100)
            topic = b"a/+/b"
            body = len(topic).to_bytes(2, "big") + topic + b"\x00x"
            s.sendall(bytes([0x30, len(body)]) + body)
            s.settimeout(3)
            got = s.recv(100)
            s.close()
            return got[:3] == bytes([0xE0, 1, 0x82])
        return on_mosquitto("", fn)

    def acl(extra_acl: str, fn) -> bool:
        f = env.tmp / "acl-claim"
        f.write_text(extra_acl)
        f.chmod(0o644)
        conf = env.conf("acl-claim.conf", f"listener {env.port} 127.0.0.1\nallow_anonymous true\nacl_file {f}\n")
        with Mosquitto(conf, [env.port]) as b:
            return fn(b)

    def acl_publish() -> bool:
        def fn(b: Mosquitto) -> bool:
            p = Probe().start(env.port)
            p.wait("connect")
            p.c.publish("denied/x", "1", qos=1)
            first = p.wait("publish")
            p.events.clear()
            p.c.publish("allowed/x", "1", qos=1)
            second = p.wait("publish")
            p.stop()
            return (first or ())[:2] == ("publish", 0x87) and (second or ())[:2] == ("publish", 0x10)
        return acl("topic readwrite allowed/#\n", fn)

    def acl_subscribe() -> bool:
        def fn(b: Mosquitto) -> bool:
            p = Probe().start(env.port)
            p.wait("connect")
            p.c.subscribe("denied/x", 1)
            ev = p.wait("subscribe")
            p.stop()
            return ev == ("subscribe", [1])
        return acl("topic readwrite allowed/#\n", fn)

    def comments() -> bool:
        ok = True
        for name, line, error in (("pw", f"password_file {env.passwd}      # mosquitto_passwd -c ...", "Unable to open pwfile"),
                                  ("tls", f"listener {env.tls_port}\ncafile {env.ca}\ncertfile {env.cert}\nkeyfile {env.key}\ntls_version tlsv1.2   # the oldest", "Unsupported tls_version")):
            conf = env.conf(f"comment-{name}.conf", f"allow_anonymous false\n{line}\n")
            with Mosquitto(conf, []) as b:
                time.sleep(0.5)
                ok = ok and b.proc.poll() not in (None, 0) and error in b.text()
        # A boolean, a number and the listener's port and address read one
        # word each and ignore the rest: this starts and means what it says
        # (anonymous clients get CONNACK 0, the third connection is refused).
        conf = env.conf("comment-ok.conf", f"listener {env.port} 127.0.0.1 # c\nallow_anonymous true # c\nmax_connections 2 # c\n")
        # Started without the wait_port probe, a client that would come and go
        # and be miscounted (mosquitto-max-connections-2011).
        with Mosquitto(conf, []) as b:
            time.sleep(0.5)
            up = b.proc.poll() is None
            held = [raw_connack(env.port) if up else None for _ in range(3)]
            ok = ok and up and held[0] is not None and held[1] is not None and held[2] is None
            for h in held:
                if h is not None:
                    h.close()
        return ok

    def anonymous_default() -> bool:
        conf = env.conf("anon.conf", f"listener {env.port} 127.0.0.1\n")
        with Mosquitto(conf, [env.port]):
            return (connack(env.port) or ())[:2] == ("connect", 135) and (connack(env.port, version=mqtt.MQTTv311) or ())[:2] == ("connect", 135)

    def qos2_restart(clean: bool, cut_type: int) -> int:
        # One QoS 2 message from paho (MQTT 5) through mosquitto to a QoS 2
        # subscriber, the publisher's connection cut when the broker's packet
        # of `cut_type` comes back; returns the copies the subscriber got
        # (-1 if the exchange did not complete).
        def fn(b: Mosquitto) -> int:
            sub = Probe(client_id="qos2-sub").start(env.port)
            if not sub.wait("connect"):
                return False
            sub.c.subscribe("qos2/t", 2)
            sub.wait("subscribe")
            proxy = CutProxy(env.port, cut_type)
            from paho.mqtt.properties import Properties
            props = Properties(PacketTypes.CONNECT)
            props.SessionExpiryInterval = 0 if clean else 60
            pub = Probe(client_id="qos2-pub")
            pub.c.reconnect_delay_set(1, 1)
            pub.start(proxy.port, clean_start=clean, properties=props)
            ok = pub.wait("connect") is not None
            info = pub.c.publish("qos2/t", "once", qos=2)
            end = time.time() + 8
            while time.time() < end and not info.is_published():
                time.sleep(0.05)
            time.sleep(0.5)
            pub.stop()
            sub.stop()
            proxy.close()
            copies = [e for e in sub.events if e[0] == "message"]
            return len(copies) if ok and proxy.cuts == 1 and info.is_published() else -1
        with env.reference("") as b:
            return fn(b) if b.up else -1

    def qos2_clean_restart() -> bool:
        # The PUBCOMP cut after PUBREL released the message: with clean start
        # paho sends PUBLISH again (DUP=1) and mosquitto, which kept nothing,
        # releases it again.
        return qos2_restart(True, 7) == 2

    def qos2_release_on_pubrel() -> bool:
        # The PUBREC cut, clean start: mosquitto had stored the message, not
        # passed it on, and the clean start dropped it: the restarted
        # exchange delivers the only copy (a broker that passed it on at
        # PUBLISH would deliver two). The PUBCOMP cut with the session kept:
        # paho sends PUBREL again, mosquitto has nothing left to release.
        return qos2_restart(True, 5) == 1 and qos2_restart(False, 7) == 1

    def websockets_alone() -> bool:
        conf = env.conf("ws-alone.conf", f"listener {env.ws_port} 127.0.0.1\nprotocol websockets\nallow_anonymous true\n")
        with Mosquitto(conf, []) as b:
            b.proc.wait(5)
            return b.proc.returncode != 0 and "Unable to start any listening sockets" in b.text()

    def sub_hex() -> bool:
        def fn(b: Mosquitto) -> bool:
            sub = subprocess.Popen(["mosquitto_sub", "-h", "127.0.0.1", "-p", str(env.port), "-t", "hex/t", "-F", "%x", "-C", "1", "-W", "5"],
                                   stdout=subprocess.PIPE, text=True)
            time.sleep(0.5)
            subprocess.run(["mosquitto_pub", "-h", "127.0.0.1", "-p", str(env.port), "-t", "hex/t", "-m", "AB"], check=True)
            out, _ = sub.communicate(6)
            return out.strip() == "4142"
        return on_mosquitto("", fn)

    return {
        "paho-v311-connack": v311_connack,
        "paho-v311-rc1-downgrade": rc1_downgrade,
        "paho-v311-suback": v311_suback,
        "paho-reasoncode-names": names,
        "paho-pubrec-ignored": pubrec_ignored,
        "paho-pubcomp-on-publish": pubcomp,
        "paho-no-auth": no_auth,
        "paho-enable-logger": enable_logger,
        "paho-network-loop": network_loop,
        "paho-disconnect-writes": disconnect_writes,
        "paho-loop-ends": loop_ends,
        "paho-loop-start-thread": loop_start_idle,
        "paho-loop-return": loop_return,
        "mosquitto-queue-qos0": queue_qos0,
        "paho-resend-on-reconnect": resend,
        "paho-qos2-clean-restart": qos2_clean_restart,
        "mosquitto-qos2-release-on-pubrel": qos2_release_on_pubrel,
        "paho-tls-handshake-timeout": handshake_timeout,
        "paho-publish-wildcard": wildcard,
        "paho-connect-fail-tls": connect_fail_tls,
        "paho-takeover-local-128": takeover,
        "mosquitto-max-connections-2011": max_connections_2011,
        "paho-oversize-puback": oversize,
        "mosquitto-comments": comments,
        "mosquitto-anonymous-default": anonymous_default,
        "mosquitto-websockets-alone": websockets_alone,
        "mosquitto-websockets-bind": lambda: True,  # asked in check_live_broker, on the recipe itself
        "mosquitto-takeover": takeover,
        "mosquitto-max-connections": connect_fail_tls,
        "mosquitto-wrong-password": lambda: True,  # asked in check_broker_cost_conf
        "mosquitto-wildcard-publish": wildcard_publish,
        "mosquitto-max-packet-size": max_packet,
        "mosquitto-message-size-limit": oversize,
        "mosquitto-acl-publish": acl_publish,
        "mosquitto-acl-subscribe": acl_subscribe,
        "mosquitto-sub-hex": sub_hex,
    }


ROOT_SNIPPETS: dict[tuple[str, str], Path] = {}


def main() -> int:
    started = time.time()
    tmp = Path(tempfile.mkdtemp(prefix="mqtt-lab-snippets-"))
    try:
        env = Env(tmp)
        out_dir = tmp / "snippets"
        writer = os.environ.get("SNIPPET_WRITER")
        cmd = [writer] if writer else ["cargo", "run", "-q", "--locked", "-p", "mqtt-lab-core", "--example", "write_snippets", "--"]
        subprocess.run([*cmd, str(out_dir), *env.target_args()], check=True, cwd=ROOT)
        manifest = json.loads((out_dir / "manifest.json").read_text())
        snippets = manifest["snippets"]
        for s in snippets:
            ROOT_SNIPPETS.setdefault((s["id"], ""), out_dir / s["file"])
        kinds = collections.Counter(s["kind"] for s in snippets)
        print(f"paho-mqtt {PAHO}; {subprocess.run([MOSQUITTO, '-h'], capture_output=True, text=True).stdout.splitlines()[0]}")
        print(f"{len(snippets)} distinct snippets: " + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())), flush=True)

        # Every snippet compiles (Python) or parses by its kind.
        for s in snippets:
            path = out_dir / s["file"]
            if s["kind"] in ("python", "python-fragment"):
                ok, err = compile_python(path)
                record(f"{s['kind']} (compile, -W error)", f"{s['id']} {s['name']}", ok, err)
            elif s["kind"] == "arduino":
                check_arduino(env, s, path)
            elif s["kind"] == "shell":
                check_shell(env, s, path)
            elif s["kind"] == "systemd":
                check_systemd(env, s, path)

        # mosquitto.conf snippets: start mosquitto with each.
        handlers = {"capacity.mosquitto-conf": check_capacity_conf, "broker-cost.mosquitto-conf": check_broker_cost_conf,
                    "live.local-broker": check_live_broker}
        for s in snippets:
            if s["kind"] == "mosquitto-conf":
                fn = handlers.get(s["id"])
                if fn is None:
                    record("mosquitto.conf", s["id"], False, "no behavioural check for this registry id")
                else:
                    fn(env, s, out_dir / s["file"])

        # Python clients against the reference broker, then the fake broker.
        rc_snippets = [s for s in snippets if s["id"] == "reason-codes.paho"]
        with env.reference() as ref:
            if record("mosquitto", "reference broker (TCP, TLS, WebSocket) starts", ref.up, ref.text()[-500:]):
                for s in snippets:
                    if s["kind"] == "python" and s["id"] != "reason-codes.paho":
                        check_client(env, s, out_dir / s["file"])
        capacity_on_connect_refusals(env)
        reason_codes_on_mosquitto(env, rc_snippets, out_dir)
        for s in rc_snippets:
            check_reason_code(env, s, out_dir / s["file"])

        # Claims.
        checks = claim_checks(env, manifest, out_dir)
        oracle = [c for c in manifest["claims"] if c["oracle"]]
        for c in oracle:
            fn = checks.get(c["id"])
            if fn is None:
                record("claim", c["id"], False, "marked Oracle in claims.rs but has no check in tests/snippets/run.py")
                continue
            try:
                ok = bool(fn())
            except Exception as e:  # noqa: BLE001
                ok = False
                c["statement"] += f" [{e!r}]"
            record("claim", f"{c['id']} ({c['library']} {c['version']})", ok, c["statement"])
        for cid in checks:
            if cid not in {c["id"] for c in oracle}:
                record("claim", cid, False, "checked here but not an Oracle claim in claims.rs")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    by_group = collections.defaultdict(lambda: [0, 0])
    for group, _, ok, _ in results:
        by_group[group][0 if ok else 1] += 1
    print("\nsummary:")
    for group, (p, f) in sorted(by_group.items()):
        print(f"  {group}: {p} passed, {f} failed")
    failed = [r for r in results if not r[2]]
    print(f"snippet suite took {time.time() - started:.0f} s")
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    sys.exit(main())
