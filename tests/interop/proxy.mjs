// A TCP proxy on 127.0.0.1 between the page and a broker, driven by the test: it
// forwards bytes both ways as they come (TCP: nothing is reordered or delayed) and
// cuts a connection, both sides at once, when a chosen number of bytes from the
// client has passed, usually in the middle of a packet. It also reads what the client
// sent (WebSocket frames, MQTT packets in them) and counts the PUBLISH packets that
// reached the broker whole, first copies (DUP 0) and resends (DUP 1): what a broker
// that keeps no log of its own received.
import { createServer, connect } from 'node:net';

/**
 * Reads one side of a WebSocket connection as bytes come: the HTTP upgrade (request or
 * response), then frames (RFC 6455 §5.2, masked from the client), and calls
 * `packet(first byte, body)` for each MQTT packet whose frames all passed.
 */
function mqttReader(packet) {
  let buf = Buffer.alloc(0);
  let upgraded = false;
  let mqtt = Buffer.alloc(0); // the payloads of whole frames, in order: the MQTT byte stream
  return (bytes) => {
    buf = Buffer.concat([buf, bytes]);
    if (!upgraded) {
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      upgraded = true;
      buf = buf.subarray(end + 4);
    }
    for (;;) {
      if (buf.length < 2) break;
      let len = buf[1] & 0x7f;
      let at = 2;
      if (len === 126) { if (buf.length < 4) break; len = buf.readUInt16BE(2); at = 4; }
      else if (len === 127) { if (buf.length < 10) break; len = Number(buf.readBigUInt64BE(2)); at = 10; }
      const masked = buf[1] & 0x80;
      if (buf.length < at + (masked ? 4 : 0) + len) break;
      const mask = masked ? buf.subarray(at, at + 4) : null;
      if (masked) at += 4;
      const opcode = buf[0] & 0x0f;
      const payload = Buffer.from(buf.subarray(at, at + len));
      if (mask) for (let i = 0; i < payload.length; i++) payload[i] ^= mask[i % 4];
      buf = buf.subarray(at + len);
      // Binary and continuation frames carry MQTT (the page sends binary messages).
      if (opcode === 0 || opcode === 2) mqtt = Buffer.concat([mqtt, payload]);
    }
    for (;;) {
      // Fixed header: type and flags, then Remaining Length (a variable byte integer).
      let len = 0;
      let mul = 1;
      let at = 1;
      for (;;) {
        if (at >= mqtt.length) return;
        const b = mqtt[at++];
        len += (b & 0x7f) * mul;
        mul *= 128;
        if (!(b & 0x80)) break;
      }
      if (mqtt.length < at + len) return;
      packet(mqtt[0], mqtt.subarray(at, at + len));
      mqtt = mqtt.subarray(at + len);
    }
  };
}

const NAMES = ['', 'CONNECT', 'CONNACK', 'PUBLISH', 'PUBACK', 'PUBREC', 'PUBREL', 'PUBCOMP', 'SUBSCRIBE', 'SUBACK',
  'UNSUBSCRIBE', 'UNSUBACK', 'PINGREQ', 'PINGRESP', 'DISCONNECT', 'AUTH'];

/**
 * One traced packet: { conn, dir ('to broker' or 'to client'), type, id, dup, payload },
 * or the CONNACK's session present as `present`. `v5`: the connection's CONNECT said version 5.
 */
function describe(conn, dir, first, body, v5) {
  const type = NAMES[first >> 4];
  const e = { conn, dir, type };
  if (type === 'CONNACK') e.present = body[0] & 1;
  if (type === 'PUBLISH') {
    const qos = (first >> 1) & 3;
    let at = 2 + body.readUInt16BE(0);
    e.topic = body.subarray(2, at).toString();
    e.dup = (first & 8) >> 3;
    e.qos = qos;
    if (qos) { e.id = body.readUInt16BE(at); at += 2; }
    if (v5) {
      let len = 0;
      let mul = 1;
      for (;;) { const b = body[at++]; len += (b & 0x7f) * mul; mul *= 128; if (!(b & 0x80)) break; }
      at += len;
    }
    e.payload = body.subarray(at).toString();
  } else if (['PUBACK', 'PUBREC', 'PUBREL', 'PUBCOMP'].includes(type)) {
    e.id = body.readUInt16BE(0);
  }
  return e;
}

/**
 * Starts a proxy to 127.0.0.1:`target`; resolves with { port, connections, cuts (offsets on
 * their connections), publishes, trace (with `trace`: every packet that passed whole, both
 * ways), refused, cutAfter(n), pause(), resume(), close() }.
 */
export function startProxy(target, { trace = false } = {}) {
  const state = { connections: 0, cuts: [], pending: null, current: null, paused: false, refused: 0 };
  // PUBLISH packets from clients that reached the broker whole, over all connections.
  const publishes = { first: 0, again: 0 };
  const traced = [];
  const open = new Set();
  const closers = new Set();
  const server = createServer((client) => {
    if (state.paused) {
      // The network is down: the connection is closed as soon as it is made.
      state.refused++;
      client.destroy();
      return;
    }
    state.connections++;
    const upstream = connect(target, '127.0.0.1');
    open.add(client);
    open.add(upstream);
    let sent = 0;
    const conn = state.connections;
    let v5 = false;
    const read = mqttReader((first, body) => {
      if (first >> 4 === 1) v5 = body[6] === 5;
      if (first >> 4 === 3) { if (first & 8) publishes.again++; else publishes.first++; }
      if (trace) traced.push(describe(conn, 'to broker', first, body, v5));
    });
    const back = mqttReader((first, body) => { if (trace) traced.push(describe(conn, 'to client', first, body, v5)); });
    state.current = upstream;
    let request = Buffer.alloc(0);
    client.on('data', (d) => {
      if (request) {
        // The client's WebSocket upgrade request, held until whole and passed on without
        // Sec-WebSocket-Extensions: no permessage-deflate (python's websockets in amqtt
        // would take it), so that the frames carry MQTT as it is, for the counts.
        request = Buffer.concat([request, d]);
        const end = request.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = request.subarray(0, end + 4).toString('latin1').replace(/^Sec-WebSocket-Extensions:[^\r]*\r\n/gim, '');
        d = Buffer.concat([Buffer.from(head, 'latin1'), request.subarray(end + 4)]);
        request = null;
      }
      if (state.pending !== null && state.current === upstream && state.pending <= d.length) {
        // Forward only the bytes before the cut: the broker gets part of a packet.
        const keep = state.pending;
        state.pending = null;
        state.cuts.push(sent + keep);
        read(d.subarray(0, keep));
        closing = true;
        upstream.write(d.subarray(0, keep), () => { client.destroy(); upstream.destroy(); });
        return;
      }
      if (state.pending !== null && state.current === upstream) state.pending -= d.length;
      sent += d.length;
      read(d);
      upstream.write(d);
    });
    upstream.on('data', (d) => { if (!client.destroyed) { back(d); client.write(d); } });
    // Who closed it: the broker, or this proxy (a cut, the network down) or the client.
    let closing = false;
    closers.add(() => { closing = true; });
    upstream.on('close', () => { if (trace) traced.push({ conn, dir: 'to client', type: 'CLOSE', by: closing ? 'proxy or client' : 'broker' }); });
    client.on('close', () => { closing = true; });
    for (const [a, b] of [[client, upstream], [upstream, client]]) {
      a.on('close', () => { open.delete(a); b.destroy(); });
      a.on('error', () => b.destroy());
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    port: server.address().port,
    get connections() { return state.connections; },
    get cuts() { return state.cuts; },
    /** PUBLISH packets from clients passed whole to the broker: { first (DUP 0), again (DUP 1) }. */
    get publishes() { return { ...publishes }; },
    get trace() { return traced; },
    /** Cuts the newest connection once `n` more bytes from the client have passed on it (at byte n of them). */
    cutAfter(n) { state.pending = n; },
    /** Cuts every connection and closes new ones at once, until resume(): the network is down. */
    pause() {
      state.paused = true;
      for (const c of closers) c();
      for (const s of open) s.destroy();
    },
    resume() { state.paused = false; },
    get refused() { return state.refused; },
    close() {
      for (const s of open) s.destroy();
      return new Promise((r) => server.close(r));
    },
  })));
}
