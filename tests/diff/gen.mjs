// Random valid MQTT packets in the harness's neutral form (see README.md), and
// the mutations applied to their bytes. Everything draws from one seeded PRNG
// per case, so a case reproduces from (seed, case number) alone.

/** sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, PractRand). */
export function rng (seed, stream = 0) {
  let a = 0x9e3779b9 ^ seed
  let b = 0x243f6a88 ^ stream
  let c = 0xb7e15162
  let d = 1
  const next = () => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0
    const t = (a + b | 0) + d | 0
    d = d + 1 | 0
    a = b ^ b >>> 9
    b = c + (c << 3) | 0
    c = c << 21 | c >>> 11
    c = c + t | 0
    return t >>> 0
  }
  for (let i = 0; i < 12; i++) next()
  const r = {
    u32: next,
    /** Integer in [lo, hi]. */
    int: (lo, hi) => lo + Math.floor(next() / 0x100000000 * (hi - lo + 1)),
    chance: (p) => next() / 0x100000000 < p,
    pick: (xs) => xs[r.int(0, xs.length - 1)],
    /** A length: mostly short, sometimes long enough for multi-byte varints. */
    len: (max) => {
      const roll = next() % 100
      if (roll < 70) return r.int(0, Math.min(max, 8))
      if (roll < 95) return r.int(0, Math.min(max, 200))
      return r.int(0, max)
    }
  }
  return r
}

// Characters for strings: ASCII, 2-, 3- and 4-byte UTF-8, the BOM (kept, never
// stripped: [MQTT-1.5.4-3]), noncharacters and control characters (allowed,
// §1.5.4: SHOULD NOT, not MUST NOT). Never U+0000 ([MQTT-1.5.4-2]) nor U+FFFD
// (so that a replacement character in a parse can only come from bad bytes).
const CHARS = [
  ...'abcdefghijklmnopqrstuvwxyzABCXYZ0123456789 -_.:$'.split(''),
  'é', 'ß', 'Ω', 'ж', '中', '文', '€', '😀', '𝄞', '\u{10FFFF}', '\uFEFF', '\uFFFF', '\u0001', '\u001F', '\u007F', '\u0085'
]

export function str (r, max = 24) {
  let s = ''
  const n = r.len(max)
  for (let i = 0; i < n; i++) s += r.pick(CHARS)
  return s
}

const bytes = (r, max = 32) => {
  const n = r.len(max)
  let h = ''
  for (let i = 0; i < n; i++) h += (r.u32() & 0xff).toString(16).padStart(2, '0')
  return h
}

const level = (r) => {
  const s = str(r, 8)
  return s.replace(/\//g, '')
}

/** A topic name: no wildcards ([MQTT-3.3.2-2]), at least one character. */
export function topicName (r) {
  const n = r.int(1, 4)
  const levels = []
  for (let i = 0; i < n; i++) levels.push(level(r))
  let t = levels.join('/')
  if (r.chance(0.05)) t = '$SYS/' + t
  return t.length ? t : 'x'
}

/** A topic filter: `+` alone in its level, `#` alone in the last level. */
export function topicFilter (r) {
  const n = r.int(1, 4)
  const levels = []
  for (let i = 0; i < n; i++) {
    const roll = r.int(0, 9)
    levels.push(roll === 0 ? '+' : roll === 1 && i === n - 1 ? '#' : level(r))
  }
  const f = levels.join('/')
  return f.length ? f : '#'
}

const u16 = (r) => r.pick([0, 1, 127, 128, 255, 256, 65535, r.int(0, 65535)])
const u32 = (r) => r.pick([0, 1, 0xffffffff, r.int(0, 0xffffffff), r.int(0, 1000)])
const varint = (r) => r.pick([1, 127, 128, 16383, 16384, 2097151, 2097152, 268435455, r.int(1, 268435455)])

// MQTT 5 properties (§2.2.2.2, Table 2-4): where each may stand and its valid
// values. `in` names the packets (WILL: the Will Properties of CONNECT).
const PROPERTIES = {
  payloadFormatIndicator: { in: ['publish', 'will'], gen: (r) => r.int(0, 1) },
  messageExpiryInterval: { in: ['publish', 'will'], gen: u32 },
  contentType: { in: ['publish', 'will'], gen: (r) => str(r) },
  responseTopic: { in: ['publish', 'will'], gen: topicName },
  correlationData: { in: ['publish', 'will'], gen: (r) => bytes(r) },
  sessionExpiryInterval: { in: ['connect', 'connack', 'disconnect'], gen: u32 },
  assignedClientIdentifier: { in: ['connack'], gen: (r) => str(r) },
  serverKeepAlive: { in: ['connack'], gen: u16 },
  authenticationMethod: { in: ['connect', 'connack', 'auth'], gen: (r) => str(r) },
  requestProblemInformation: { in: ['connect'], gen: (r) => r.int(0, 1) },
  willDelayInterval: { in: ['will'], gen: u32 },
  requestResponseInformation: { in: ['connect'], gen: (r) => r.int(0, 1) },
  responseInformation: { in: ['connack'], gen: (r) => str(r) },
  serverReference: { in: ['connack', 'disconnect'], gen: (r) => str(r) },
  reasonString: {
    in: ['connack', 'puback', 'pubrec', 'pubrel', 'pubcomp', 'suback', 'unsuback', 'disconnect', 'auth'],
    gen: (r) => str(r)
  },
  receiveMaximum: { in: ['connect', 'connack'], gen: (r) => r.int(1, 65535) },
  topicAliasMaximum: { in: ['connect', 'connack'], gen: u16 },
  topicAlias: { in: ['publish'], gen: (r) => r.int(1, 65535) },
  maximumQoS: { in: ['connack'], gen: (r) => r.int(0, 1) },
  retainAvailable: { in: ['connack'], gen: (r) => r.int(0, 1) },
  maximumPacketSize: { in: ['connect', 'connack'], gen: (r) => r.int(1, 0xffffffff) },
  wildcardSubscriptionAvailable: { in: ['connack'], gen: (r) => r.int(0, 1) },
  subscriptionIdentifiersAvailable: { in: ['connack'], gen: (r) => r.int(0, 1) },
  sharedSubscriptionAvailable: { in: ['connack'], gen: (r) => r.int(0, 1) }
}

/** Which properties a packet may carry: for the mutation checks too. */
export function propertyAllowed (name, ctx) {
  if (name === 'userProperties') return true
  if (name === 'subscriptionIdentifier') return ctx === 'publish' || ctx === 'subscribe'
  if (name === 'authenticationData') return ['connect', 'connack', 'auth'].includes(ctx)
  return PROPERTIES[name].in.includes(ctx)
}

function properties (r, ctx) {
  const p = {}
  if (r.chance(0.3)) return p
  for (const [name, def] of Object.entries(PROPERTIES)) {
    if (def.in.includes(ctx) && r.chance(0.3)) p[name] = def.gen(r)
  }
  // Authentication Data only with an Authentication Method (§3.1.2.11.10).
  if (p.authenticationMethod !== undefined && r.chance(0.5)) p.authenticationData = bytes(r)
  if (r.chance(0.4)) {
    const n = r.int(1, 4)
    const names = [str(r, 6), str(r, 6)]
    p.userProperties = []
    for (let i = 0; i < n; i++) p.userProperties.push([r.chance(0.5) ? r.pick(names) : str(r, 6), str(r, 10)])
  }
  if (ctx === 'publish' && r.chance(0.2)) {
    p.subscriptionIdentifier = []
    for (let i = r.int(1, 3); i > 0; i--) p.subscriptionIdentifier.push(varint(r))
  }
  if (ctx === 'subscribe' && r.chance(0.3)) p.subscriptionIdentifier = [varint(r)]
  return p
}

// MQTT 5 reason codes each packet may carry (the tables of §3.2.2.2, §3.4.2.1 ...
// §3.15.2.1; DISCONNECT also 0x8C, which Table 2-6 lists: see README, disconnect-0x8c).
const PUBACK = [0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99]
const PUBREL = [0x00, 0x92]
export const CODES = {
  connack: [0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8C, 0x90, 0x95, 0x97, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9F],
  puback: PUBACK,
  pubrec: PUBACK,
  pubrel: PUBREL,
  pubcomp: PUBREL,
  suback: [0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2],
  unsuback: [0x00, 0x11, 0x80, 0x83, 0x87, 0x8F, 0x91],
  disconnect: [0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8B, 0x8C, 0x8D, 0x8E, 0x8F, 0x90, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F, 0xA0, 0xA1, 0xA2],
  auth: [0x00, 0x18, 0x19]
}

export const TYPES = ['connect', 'connack', 'publish', 'puback', 'pubrec', 'pubrel', 'pubcomp', 'subscribe',
  'suback', 'unsubscribe', 'unsuback', 'pingreq', 'pingresp', 'disconnect', 'auth']

/** The packet types a version has: AUTH is MQTT 5 only. */
export const typesOf = (v) => v === 5 ? TYPES : TYPES.filter((t) => t !== 'auth')

const id = (r) => r.pick([1, 2, 255, 256, 65535, r.int(1, 65535)])
const props = (r, v, ctx) => v === 5 ? properties(r, ctx) : {}
const code = (r, v, list) => v === 5 ? r.pick(list) : 0

/** One valid packet of type `cmd` for protocol version `v` (4 or 5). */
export function packet (r, v, cmd) {
  switch (cmd) {
    case 'connect': {
      const clientId = r.chance(0.15) ? '' : str(r, 23)
      const username = r.chance(0.5) ? str(r) : null
      // 3.1.1: a password needs a user name ([MQTT-3.1.2-22]); 5.0 does not (§3.1.2.9).
      const password = (username !== null || (v === 5 && r.chance(0.2))) && r.chance(0.6) ? bytes(r) : null
      return {
        cmd,
        protocolVersion: v,
        // 3.1.1: an empty Client Identifier needs Clean Session 1 ([MQTT-3.1.3-7]).
        clean: clientId === '' && v === 4 ? true : r.chance(0.5),
        keepalive: u16(r),
        properties: props(r, v, 'connect'),
        clientId,
        will: r.chance(0.4)
          ? { topic: topicName(r), payload: bytes(r, 300), qos: r.int(0, 2), retain: r.chance(0.5), properties: props(r, v, 'will') }
          : null,
        username,
        password
      }
    }
    case 'connack': {
      const reasonCode = v === 5 ? (r.chance(0.5) ? 0 : r.pick(CODES.connack)) : r.int(0, 5)
      // Session Present is 0 on a refusal ([MQTT-3.2.2-6]; 3.1.1 [MQTT-3.2.2-4]).
      return { cmd, sessionPresent: reasonCode === 0 && r.chance(0.5), reasonCode, properties: props(r, v, 'connack') }
    }
    case 'publish': {
      const qos = r.int(0, 2)
      const properties = props(r, v, 'publish')
      // 5.0: an empty topic stands for a Topic Alias (§3.3.2.3.4).
      const aliased = properties.topicAlias !== undefined && r.chance(0.5)
      return {
        cmd,
        dup: qos > 0 && r.chance(0.3), // [MQTT-3.3.1-2]: DUP 0 on QoS 0
        qos,
        retain: r.chance(0.3),
        topic: aliased ? '' : topicName(r),
        messageId: qos > 0 ? id(r) : 0,
        properties,
        payload: bytes(r, r.chance(0.01) ? 70000 : 400)
      }
    }
    case 'puback':
    case 'pubrec':
    case 'pubrel':
    case 'pubcomp': {
      return { cmd, messageId: id(r), reasonCode: r.chance(0.5) ? 0 : code(r, v, CODES[cmd]), properties: props(r, v, cmd) }
    }
    case 'subscribe': {
      const subscriptions = []
      for (let n = r.int(1, 4); n > 0; n--) {
        let topic = topicFilter(r)
        if (v === 5 && r.chance(0.1)) topic = `$share/${level(r) || 'g'}/${topic}`
        subscriptions.push({
          topic,
          qos: r.int(0, 2),
          // No Local on a shared subscription is a Protocol Error ([MQTT-3.8.3-4]).
          nl: v === 5 && !topic.startsWith('$share/') && r.chance(0.5),
          rap: v === 5 && r.chance(0.5),
          rh: v === 5 ? r.int(0, 2) : 0
        })
      }
      return { cmd, messageId: id(r), properties: props(r, v, 'subscribe'), subscriptions }
    }
    case 'suback': {
      const granted = []
      for (let n = r.int(1, 5); n > 0; n--) granted.push(v === 5 ? r.pick(CODES.suback) : r.pick([0, 1, 2, 0x80]))
      return { cmd, messageId: id(r), properties: props(r, v, 'suback'), granted }
    }
    case 'unsubscribe': {
      const unsubscriptions = []
      for (let n = r.int(1, 4); n > 0; n--) unsubscriptions.push(topicFilter(r))
      return { cmd, messageId: id(r), properties: props(r, v, 'unsubscribe'), unsubscriptions }
    }
    case 'unsuback': {
      const granted = []
      if (v === 5) for (let n = r.int(1, 5); n > 0; n--) granted.push(r.pick(CODES.unsuback))
      return { cmd, messageId: id(r), properties: props(r, v, 'unsuback'), granted }
    }
    case 'pingreq':
    case 'pingresp':
      return { cmd }
    case 'disconnect':
      return { cmd, reasonCode: r.chance(0.4) ? 0 : code(r, v, CODES.disconnect), properties: props(r, v, 'disconnect') }
    case 'auth':
      return { cmd, reasonCode: r.chance(0.3) ? 0 : r.pick(CODES.auth), properties: props(r, v, 'auth') }
  }
  throw new Error(`unknown packet type ${cmd}`)
}

// ---------- mutations (on bytes) ----------

/** The Remaining Length at byte 1: its value and its size, leniently (any 1-4 bytes). */
export function remainingLength (b) {
  let value = 0
  for (let i = 0; i < 4 && 1 + i < b.length; i++) {
    value += (b[1 + i] & 0x7f) * 128 ** i
    if ((b[1 + i] & 0x80) === 0) return { value, size: i + 1 }
  }
  return null
}

function varintBytes (n) {
  const out = []
  do {
    let d = n % 128
    n = Math.floor(n / 128)
    if (n > 0) d |= 0x80
    out.push(d)
  } while (n > 0)
  return out
}

/** The packet with its body replaced and the Remaining Length rewritten to match. */
function withBody (b, body) {
  const rl = remainingLength(b)
  if (!rl || body.length > 268435455) return null
  return Buffer.from([b[0], ...varintBytes(body.length), ...body])
}

function body (b) {
  const rl = remainingLength(b)
  return rl ? b.subarray(1 + rl.size) : b.subarray(1)
}

const randomBytes = (r, n) => Buffer.from(Array.from({ length: n }, () => r.u32() & 0xff))
const INTERESTING = [0x00, 0x01, 0x02, 0x7f, 0x80, 0xff, 0x26, 0x0b, 0x23, 0x2b, 0x2f]

/**
 * Mutations of one packet's bytes. Each returns [name, bytes]; the bytes are
 * then judged as exactly one packet by both implementations.
 */
export const MUTATIONS = {
  // Flip 1 to 3 random bits anywhere, fixed header included.
  flip: (r, b) => {
    const m = Buffer.from(b)
    for (let n = r.int(1, 3); n > 0; n--) m[r.int(0, m.length - 1)] ^= 1 << r.int(0, 7)
    return m
  },
  // Set one byte to a value that often means something (0, 0x80, '#', a property id).
  byte: (r, b) => {
    const m = Buffer.from(b)
    m[r.int(0, m.length - 1)] = r.chance(0.5) ? r.pick(INTERESTING) : r.u32() & 0xff
    return m
  },
  // Cut the end off, Remaining Length unchanged.
  truncate: (r, b) => b.subarray(0, r.int(1, b.length - 1)),
  // Cut the body short and say so in the Remaining Length.
  shorten: (r, b) => {
    const x = body(b)
    return withBody(b, x.subarray(0, r.int(0, Math.max(0, x.length - 1))))
  },
  // Bytes after the packet, Remaining Length unchanged.
  append: (r, b) => Buffer.concat([b, randomBytes(r, r.int(1, 4))]),
  // Bytes appended to the body and counted in the Remaining Length.
  extend: (r, b) => withBody(b, Buffer.concat([body(b), r.chance(0.5) ? randomBytes(r, r.int(1, 6)) : Buffer.from([0])])),
  // A Remaining Length a little off, body unchanged.
  length: (r, b) => {
    const x = body(b)
    const n = Math.max(0, x.length + r.pick([-3, -2, -1, 1, 2, 3, 128, -128]))
    return Buffer.from([b[0], ...varintBytes(n), ...x])
  },
  // Insert or delete one byte in the body, Remaining Length adjusted.
  splice: (r, b) => {
    const x = Buffer.from(body(b))
    const at = r.int(0, x.length)
    return withBody(b, r.chance(0.5) || x.length === 0
      ? Buffer.concat([x.subarray(0, at), Buffer.from([r.pick(INTERESTING)]), x.subarray(at)])
      : Buffer.concat([x.subarray(0, at), x.subarray(at + 1)]))
  }
}
