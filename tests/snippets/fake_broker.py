"""A small scripted MQTT broker for what mosquitto cannot be made to send.

It accepts one client at a time on 127.0.0.1 (optionally over TLS), answers
CONNECT, SUBSCRIBE, UNSUBSCRIBE, PUBLISH, PUBREL and PINGREQ, and puts one
chosen reason code in one chosen packet: a 3.1.1 CONNACK 1, a PUBREC 0x87,
an AUTH packet, a SUBACK 0x80, and so on. Everything it receives is recorded
for the checks (protocol levels of each CONNECT, PUBLISH flags).
"""

from __future__ import annotations

import socket
import ssl
import threading


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        b = n % 128
        n //= 128
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _packet(header: int, body: bytes) -> bytes:
    return bytes([header]) + _varint(len(body)) + body


class FakeBroker:
    """packet: which packet carries `code` (connack, puback, pubrec, pubrel,
    pubcomp, suback, unsuback, disconnect, auth); `mode` selects special
    scripts ("drop-first-publish": close the first connection on its first
    QoS 1 PUBLISH without a PUBACK)."""

    def __init__(self, port: int, packet: str = "", code: int = 0, tls: ssl.SSLContext | None = None, mode: str = ""):
        self.port, self.packet, self.code, self.tls, self.mode = port, packet, code, tls, mode
        self.connects: list[int] = []  # protocol level of each CONNECT
        self.publishes: list[tuple[int, bytes]] = []  # (first byte, body) of each PUBLISH
        self.errors: list[str] = []
        self._stop = threading.Event()
        self._srv = socket.socket()
        self._srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._srv.bind(("127.0.0.1", port))
        self._srv.listen(8)
        self._srv.settimeout(0.2)
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> "FakeBroker":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(5)
        self._srv.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._srv.accept()
            except OSError:
                continue
            try:
                if self.tls:
                    conn = self.tls.wrap_socket(conn, server_side=True)
                conn.settimeout(0.2)
                self._session(conn)
            except (OSError, ssl.SSLError) as e:
                self.errors.append(repr(e))
            finally:
                try:
                    conn.close()
                except OSError:
                    pass

    def _read(self, conn: socket.socket) -> tuple[int, bytes] | None:
        buf = b""
        while not self._stop.is_set():
            try:
                b = conn.recv(1)
            except socket.timeout:
                continue
            if not b:
                return None
            buf = b
            break
        else:
            return None
        length, mult = 0, 1
        while True:
            b = self._recv_exact(conn, 1)
            if b is None:
                return None
            length += (b[0] & 0x7F) * mult
            mult *= 128
            if not b[0] & 0x80:
                break
        body = self._recv_exact(conn, length) if length else b""
        return (buf[0], body) if body is not None else None

    def _recv_exact(self, conn: socket.socket, n: int) -> bytes | None:
        out = b""
        while len(out) < n and not self._stop.is_set():
            try:
                chunk = conn.recv(n - len(out))
            except socket.timeout:
                continue
            if not chunk:
                return None
            out += chunk
        return out if len(out) == n else None

    def _session(self, conn: socket.socket) -> None:
        v5 = False
        first_connection = len(self.connects) == 0
        while not self._stop.is_set():
            pkt = self._read(conn)
            if pkt is None:
                return
            head, body = pkt
            kind = head & 0xF0
            if kind == 0x10:  # CONNECT
                name_len = int.from_bytes(body[:2], "big")
                level = body[2 + name_len]
                self.connects.append(level)
                v5 = level == 5
                rc = self.code if self.packet == "connack" else 0
                if v5:
                    conn.sendall(_packet(0x20, bytes([0, rc, 0])))
                else:
                    conn.sendall(_packet(0x20, bytes([0, rc])))
                if rc:
                    return  # a refusal closes the connection
                if self.packet == "disconnect" and v5:
                    conn.sendall(_packet(0xE0, bytes([self.code, 0])))
                    return
                if self.packet == "auth":
                    conn.sendall(_packet(0xF0, bytes([self.code, 0])))
            elif kind == 0x80:  # SUBSCRIBE
                pid = body[:2]
                requested = body[-1] & 0x03
                rc = self.code if self.packet == "suback" else requested
                conn.sendall(_packet(0x90, pid + (b"\x00" if v5 else b"") + bytes([rc])))
                if self.packet == "pubrel":
                    # Deliver a QoS 2 message, then PUBREL with the code.
                    topic = b"sensors/0042"
                    msg = len(topic).to_bytes(2, "big") + topic + b"\x00\x01" + (b"\x00" if v5 else b"") + b"45"
                    conn.sendall(_packet(0x34, msg))
            elif kind == 0xA0:  # UNSUBSCRIBE
                pid = body[:2]
                if v5:
                    rc = self.code if self.packet == "unsuback" else 0
                    conn.sendall(_packet(0xB0, pid + b"\x00" + bytes([rc])))
                else:
                    conn.sendall(_packet(0xB0, pid))
            elif kind == 0x30:  # PUBLISH
                self.publishes.append((head, body))
                qos = (head >> 1) & 0x03
                topic_len = int.from_bytes(body[:2], "big")
                pid = body[2 + topic_len: 4 + topic_len]
                if self.mode == "drop-first-publish" and first_connection and qos:
                    return
                if qos == 1:
                    rc = self.code if self.packet == "puback" else 0
                    conn.sendall(_packet(0x40, pid + (bytes([rc, 0]) if v5 else b"")))
                elif qos == 2:
                    rc = self.code if self.packet == "pubrec" else 0
                    conn.sendall(_packet(0x50, pid + (bytes([rc, 0]) if v5 else b"")))
                    self._pubrec_code = rc
            elif kind == 0x60:  # PUBREL from the client
                pid = body[:2]
                if self.packet == "pubcomp":
                    rc = self.code
                elif self.packet == "pubrec" and getattr(self, "_pubrec_code", 0) >= 0x80:
                    rc = 0x92  # a strict broker no longer knows the packet id
                else:
                    rc = 0
                conn.sendall(_packet(0x70, pid + (bytes([rc, 0]) if v5 else b"")))
            elif kind == 0x50:  # PUBREC from the client (it received our QoS 2 message)
                pid = body[:2]
                conn.sendall(_packet(0x62, pid + (bytes([self.code, 0]) if v5 else b"")))
            elif kind == 0x70:  # PUBCOMP from the client
                pass
            elif kind == 0xC0:  # PINGREQ
                conn.sendall(_packet(0xD0, b""))
            elif kind == 0xE0:  # DISCONNECT
                return
