// A fake MQTT-over-WebSocket broker for what mosquitto cannot be made to do
// (never answer CONNECT, send DISCONNECT 0x8E, announce small limits, refuse
// the subprotocol, flood at full speed). It speaks raw MQTT bytes written out
// here by hand from the MQTT 5.0 and 3.1.1 texts, so a test states exactly
// what goes on the wire; the `ws` package does only the WebSocket part.
// Listens on 127.0.0.1 on a free port; close() stops it and its sockets.
import { WebSocketServer } from 'ws';

/** A Variable Byte Integer (MQTT 5 §1.5.5, 3.1.1 §2.2.3). */
export function varint(n) {
  const out = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}

const u16 = (n) => [n >> 8, n & 0xff];
const str = (s) => { const b = [...Buffer.from(s, 'utf8')]; return [...u16(b.length), ...b]; };

/** A whole packet: fixed header byte, remaining length, body. */
export function packet(first, body) {
  return Buffer.from([first, ...varint(body.length), ...body]);
}

/** MQTT 5 properties with their length prefix; `props` is a list of byte arrays, each id + value. */
const props = (list = []) => { const b = list.flat(); return [...varint(b.length), ...b]; };

/** Property encoders (MQTT 5 Table 2-4). */
export const prop = {
  receiveMaximum: (n) => [0x21, ...u16(n)],
  maximumPacketSize: (n) => [0x27, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff],
  reasonString: (s) => [0x1f, ...str(s)],
};

/** CONNACK: MQTT 5 with a reason code and properties, or 3.1.1's two bytes. */
export const connack = ({ v = 5, code = 0, properties = [] } = {}) =>
  packet(0x20, v === 5 ? [0, code, ...props(properties)] : [0, code]);
/** MQTT 5 DISCONNECT from the server with a reason code. */
export const disconnect = (code, properties = []) => packet(0xe0, [code, ...props(properties)]);
export const suback = (id, codes, v = 5) => packet(0x90, [...u16(id), ...(v === 5 ? [0] : []), ...codes]);
export const puback = (id) => packet(0x40, u16(id));
/** PUBLISH with QoS 0 or 1 (id only for QoS 1). */
export const publish = ({ topic, payload, qos = 0, id = 0, v = 5 }) => packet(0x30 | (qos << 1),
  [...str(topic), ...(qos ? u16(id) : []), ...(v === 5 ? [0] : []), ...Buffer.from(payload)]);

/** Splits a buffer into whole packets; returns [packets, rest]. */
function split(buf) {
  const out = [];
  let at = 0;
  for (;;) {
    let len = 0, mul = 1, i = at + 1;
    for (; i < buf.length && i < at + 5; i++) {
      len += (buf[i] & 0x7f) * mul;
      mul *= 128;
      if (!(buf[i] & 0x80)) break;
    }
    if (i >= buf.length || at + 1 >= buf.length) break;
    const end = i + 1 + len;
    if (end > buf.length) break;
    out.push({ first: buf[at], body: buf.subarray(i + 1, end), raw: buf.subarray(at, end) });
    at = end;
  }
  return [out, buf.subarray(at)];
}

const TYPES = ['', 'CONNECT', 'CONNACK', 'PUBLISH', 'PUBACK', 'PUBREC', 'PUBREL', 'PUBCOMP', 'SUBSCRIBE',
  'SUBACK', 'UNSUBSCRIBE', 'UNSUBACK', 'PINGREQ', 'PINGRESP', 'DISCONNECT', 'AUTH'];

/** Reads the fields a test needs from a packet the client sent. */
function parse({ first, body, raw }, v) {
  const p = { type: TYPES[first >> 4], flags: first & 15, raw: Buffer.from(raw) };
  let at = 0;
  const rd16 = () => { const n = body.readUInt16BE(at); at += 2; return n; };
  const rdStr = () => { const n = rd16(); const s = body.subarray(at, at + n).toString('utf8'); at += n; return s; };
  const skipProps = () => {
    let len = 0, mul = 1, b;
    do { b = body[at++]; len += (b & 0x7f) * mul; mul *= 128; } while (b & 0x80);
    at += len;
  };
  if (p.type === 'CONNECT') {
    rdStr();
    p.v = body[at] === 5 ? 5 : 3;
  } else if (p.type === 'PUBLISH') {
    p.qos = (first >> 1) & 3;
    p.topic = rdStr();
    if (p.qos) p.id = rd16();
    if (v === 5) skipProps();
    p.payload = Buffer.from(body.subarray(at));
  } else if (p.type === 'SUBSCRIBE') {
    p.id = rd16();
    if (v === 5) skipProps();
    p.filters = [];
    while (at < body.length) p.filters.push({ filter: rdStr(), qos: body[at++] & 3 });
  } else if (['PUBACK', 'PUBREC', 'PUBREL', 'PUBCOMP', 'UNSUBSCRIBE'].includes(p.type)) {
    p.id = rd16();
  }
  return p;
}

/**
 * Starts a fake broker. `onConnection(conn)` is called for each WebSocket;
 * `conn.on(handler)` gets each parsed packet the client sends, `conn.send(bytes)`
 * sends raw bytes in one frame, `conn.close()` ends it. `subprotocol: false`
 * makes it accept the WebSocket without choosing `mqtt`. Every connection and
 * packet is recorded with its time in `broker.log`.
 */
export async function startFakeBroker(onConnection, { subprotocol = true } = {}) {
  const server = new WebSocketServer({
    host: '127.0.0.1', port: 0, perMessageDeflate: false,
    handleProtocols: (offered) => (subprotocol && offered.has('mqtt') ? 'mqtt' : false),
  });
  await new Promise((resolve, reject) => { server.once('listening', resolve); server.once('error', reject); });
  const broker = {
    port: server.address().port,
    url: `ws://127.0.0.1:${server.address().port}`,
    /** One entry per WebSocket: { opened, closed, packets: [{ at, ...packet }] }. */
    log: [],
    close: () => new Promise((resolve) => {
      for (const c of server.clients) c.terminate();
      server.close(() => resolve());
    }),
  };
  server.on('connection', (ws) => {
    const entry = { opened: Date.now(), closed: null, packets: [] };
    broker.log.push(entry);
    let rest = Buffer.alloc(0);
    let v = 5;
    const handlers = [];
    const conn = {
      entry,
      ws,
      get v() { return v; },
      on: (h) => handlers.push(h),
      send: (bytes) => { if (ws.readyState === ws.OPEN) ws.send(bytes); },
      close: () => ws.close(),
    };
    ws.on('message', (data) => {
      const [packets, left] = split(Buffer.concat([rest, data]));
      rest = Buffer.from(left);
      for (const raw of packets) {
        const p = parse(raw, v);
        if (p.type === 'CONNECT') v = p.v;
        p.at = Date.now();
        entry.packets.push(p);
        for (const h of handlers) h(p);
      }
    });
    ws.on('close', () => { entry.closed = Date.now(); });
    ws.on('error', () => {});
    onConnection?.(conn);
  });
  return broker;
}

/** A handler that answers CONNECT with this CONNACK and SUBSCRIBE with all it asked. */
export function answering(conn, connackBytes = connack()) {
  conn.on((p) => {
    if (p.type === 'CONNECT') conn.send(connackBytes);
    else if (p.type === 'SUBSCRIBE') conn.send(suback(p.id, p.filters.map((f) => f.qos), conn.v));
    else if (p.type === 'PINGREQ') conn.send(packet(0xd0, []));
  });
}

/** A client's CONNECT with a clean start, keepalive 60 s, and optional user name and password. */
export function connectPacket({ v = 5, clientId, user, pass }) {
  const flags = 0x02 | (user !== undefined ? 0x80 : 0) | (pass !== undefined ? 0x40 : 0);
  return packet(0x10, [...str('MQTT'), v === 5 ? 5 : 4, flags, 0, 60, ...(v === 5 ? [0] : []),
    ...str(clientId), ...(user !== undefined ? str(user) : []), ...(pass !== undefined ? str(pass) : [])]);
}
