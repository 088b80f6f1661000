// The deliberate differences between the core's codec and mqtt-packet: the
// explicit allow-list. A difference the harness finds is allowed only when one
// entry matches it AND that entry's check confirms, from the bytes or from
// mqtt-packet's own output, that the difference is the one described. Every
// entry also carries an example that must show the difference today (so an
// entry that stops being needed fails too). README.md explains each one.

import { canonical, fromMp, mpGenerate, mpOne, mpStream } from './neutral.mjs'
import { CODES, propertyAllowed, remainingLength } from './gen.mjs'
import { compareOne, compareStream, compareValid } from './compare.mjs'

const what = (d) => d.error?.what || ''
const bytesOf = (d) => Buffer.from(d.hex, 'hex')

/** Every string in mqtt-packet's parse (keys of user properties too). */
function strings (x, out = []) {
  if (typeof x === 'string') out.push(x)
  else if (Buffer.isBuffer(x)) return out
  else if (Array.isArray(x)) x.forEach((y) => strings(y, out))
  else if (x && typeof x === 'object') for (const [k, y] of Object.entries(x)) { out.push(k); strings(y, out) }
  return out
}

/** mqtt-packet's first packet from `bytes` followed by `tail`, as a string. */
function firstWith (bytes, v, tail) {
  const s = mpStream(Buffer.concat([bytes, tail]), v)
  return s.packets.length
    ? JSON.stringify(s.packets[0], (k, x) => (x && x.type === 'Buffer' ? Buffer.from(x.data).toString('hex') : x))
    : `error: ${s.error}`
}

/**
 * A field that does not fit: the two bytes before it, a string's or binary's
 * length, run past the packet; or mqtt-packet reads past the Remaining Length
 * (its reading changes with what follows the packet) or puts its "could not
 * read" marker in the field (null for a string or binary, -1 for an integer,
 * false for a variable byte integer).
 */
function readsPastEnd (d) {
  const b = bytesOf(d)
  const at = d.error.offset
  if (/ends inside (a |the )?(User Property|Topic|Client|Will|User Name|Password|Protocol Name|Reason String|Content Type|Response|Correlation|Assigned|Authentication|Server Reference)/.test(what(d)) &&
    at >= 2 && at <= b.length && at + b.readUInt16BE(at - 2) > b.length) return true
  if (firstWith(b, d.v, Buffer.alloc(8, 0)) !== firstWith(b, d.v, Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]))) return true
  const p = d.mpPacket || {}
  const markers = (props) => Object.entries(props || {}).some(([k, x]) =>
    (Array.isArray(x) ? x : [x]).some((y) => y === null || y === -1 || (y === false && k === 'subscriptionIdentifier') ||
      (k === 'userProperties' && Object.entries(y).some(([n, z]) => n === 'null' || [].concat(z).includes(null)))))
  return p.messageId === -1 || markers(p.properties) || markers(p.will?.properties) ||
    'mqtt-packet reads the same packet whatever follows it, and marks no field as missing'
}

/** The packet with its last `n` bytes left out and the Remaining Length reduced to match. */
function withoutLast (b, n) {
  const rl = remainingLength(b)
  const body = b.subarray(1 + rl.size, b.length - n)
  const len = []
  let x = body.length
  do { len.push((x % 128) | (x >= 128 ? 0x80 : 0)); x = Math.floor(x / 128) } while (x > 0)
  return Buffer.concat([Buffer.from([b[0], ...len]), body])
}

// Property identifiers (5.0 Table 2-4) with the rule on their values.
const PROPERTY_VALUES = {
  0x01: ['payloadFormatIndicator', 1, (x) => x <= 1],
  0x17: ['requestProblemInformation', 1, (x) => x <= 1],
  0x19: ['requestResponseInformation', 1, (x) => x <= 1],
  0x24: ['maximumQoS', 1, (x) => x <= 1],
  0x25: ['retainAvailable', 1, (x) => x <= 1],
  0x28: ['wildcardSubscriptionAvailable', 1, (x) => x <= 1],
  0x29: ['subscriptionIdentifiersAvailable', 1, (x) => x <= 1],
  0x2A: ['sharedSubscriptionAvailable', 1, (x) => x <= 1],
  0x21: ['receiveMaximum', 2, (x) => x > 0],
  0x23: ['topicAlias', 2, (x) => x > 0],
  0x27: ['maximumPacketSize', 4, (x) => x > 0],
  0x0B: ['subscriptionIdentifier', 'varint', (x) => x > 0],
  0x08: ['responseTopic', 'string', (s) => s.length > 0 && !/[+#]/.test(s)]
}
const PROPERTY_IDS = {
  payloadFormatIndicator: 0x01, messageExpiryInterval: 0x02, contentType: 0x03, responseTopic: 0x08, correlationData: 0x09,
  subscriptionIdentifier: 0x0B, sessionExpiryInterval: 0x11, assignedClientIdentifier: 0x12, serverKeepAlive: 0x13,
  authenticationMethod: 0x15, authenticationData: 0x16, requestProblemInformation: 0x17, willDelayInterval: 0x18,
  requestResponseInformation: 0x19, responseInformation: 0x1A, serverReference: 0x1C, reasonString: 0x1F,
  receiveMaximum: 0x21, topicAliasMaximum: 0x22, topicAlias: 0x23, maximumQoS: 0x24, retainAvailable: 0x25,
  userProperties: 0x26, maximumPacketSize: 0x27, wildcardSubscriptionAvailable: 0x28,
  subscriptionIdentifiersAvailable: 0x29, sharedSubscriptionAvailable: 0x2A
}
// Bytes of a property's value when it is 0 or empty (a string or binary: its two-byte length).
const PROPERTY_SIZE = Object.fromEntries([
  ...[0x01, 0x17, 0x19, 0x24, 0x25, 0x28, 0x29, 0x2A].map((id) => [id, 1]),
  ...[0x13, 0x21, 0x22, 0x23].map((id) => [id, 2]),
  ...[0x02, 0x11, 0x18, 0x27].map((id) => [id, 4]),
  ...[0x03, 0x08, 0x09, 0x12, 0x15, 0x16, 0x1A, 0x1C, 0x1F].map((id) => [id, 2])
])
const PROPERTY_NAMES = Object.fromEntries(Object.entries(PROPERTY_IDS).map(([k, v]) => [v, k]))

/** The value of the property whose identifier is at `at`, read from the bytes. */
function propertyValueAt (b, at) {
  const rule = PROPERTY_VALUES[b[at]]
  if (!rule) return null
  const [, size, ok] = rule
  let value
  if (size === 1) value = b[at + 1]
  else if (size === 2) value = b.readUInt16BE(at + 1)
  else if (size === 4) value = b.readUInt32BE(at + 1)
  else if (size === 'string') value = b.subarray(at + 3, at + 3 + b.readUInt16BE(at + 1)).toString('utf8')
  else {
    value = 0
    for (let i = 0; i < 4; i++) {
      value += (b[at + 1 + i] & 0x7f) * 128 ** i
      if (!(b[at + 1 + i] & 0x80)) break
    }
  }
  return { value, ok: ok(value) }
}

const TYPE_NAMES = [null, 'connect', 'connack', 'publish', 'puback', 'pubrec', 'pubrel', 'pubcomp', 'subscribe', 'suback', 'unsubscribe', 'unsuback', 'pingreq', 'pingresp', 'disconnect', 'auth']

/** The order of user properties after a trip through a JavaScript object (mqtt-packet's form). */
function objectOrder (pairs) {
  const o = Object.create(null)
  for (const [k, x] of pairs) {
    if (o[k] === undefined) o[k] = [x]
    else o[k].push(x)
  }
  return Object.getOwnPropertyNames(o).flatMap((k) => o[k].map((x) => [k, x]))
}

/** What mqtt-packet's parser keeps of user properties: a name seen before with an empty (falsy) value is overwritten. */
function mpKeepsOfUserProperties (pairs) {
  const o = Object.create(null)
  for (const [k, x] of pairs) {
    if (o[k]) o[k] = Array.isArray(o[k]) ? [...o[k], x] : [o[k], x]
    else o[k] = x
  }
  return Object.entries(o).flatMap(([k, x]) => (Array.isArray(x) ? x : [x]).map((y) => [k, y]))
}

/** The user properties of a neutral packet and its Will. */
function userProperties (n) {
  return [n?.properties?.userProperties || [], n?.will?.properties?.userProperties || []]
}

export const DIFFERENCES = [
  // ---- the core refuses, mqtt-packet accepts: the specification says refuse ----
  {
    id: 'non-minimal-varint',
    title: 'A Variable Byte Integer in more bytes than it needs (e.g. 0 as 80 00): mqtt-packet reads it',
    spec: '5.0 [MQTT-1.5.5-1]: "The encoded value MUST use the minimum number of bytes necessary to represent the value"; 3.1.1 §2.2.3 (Remaining Length, "the minimum")',
    match: (d) => d.kind === 'we-reject' && /fewest bytes possible/.test(what(d)),
    check: (d) => {
      const b = bytesOf(d).subarray(d.error.offset)
      let i = 0
      while (i < 3 && b[i] & 0x80) i++
      return (i > 0 && b[i] === 0) || 'the integer at the offset the core names is minimal'
    },
    example: { v: 5, hex: 'e003008000' }
  },
  {
    id: 'reads-past-end',
    title: 'A field runs past the Remaining Length: mqtt-packet reads on into whatever follows (or an absent value)',
    spec: '5.0 §2.1.4 and §1.5 (3.1.1 §2.2.3): the Remaining Length is the number of bytes in the packet; a packet whose fields do not fit is malformed (5.0 §4.13, 0x81)',
    match: (d) => d.kind === 'we-reject' && (/ends inside|runs past the end of the packet/.test(what(d)) || /CONNACK has 2 bytes after the fixed header, not [01]$/.test(what(d))),
    check: readsPastEnd,
    example: { v: 4, hex: '400100' }
  },
  {
    id: 'extra-bytes',
    title: 'Bytes after the last field: mqtt-packet ignores them',
    spec: '5.0 §2.1.4, §3.12, §3.13 (3.1.1 §2.2.3, §3.2 "The CONNACK has a Remaining Length of 2", §3.12, §3.13, §3.14 "no variable header"): the fields fill the Remaining Length exactly; anything else is a malformed packet',
    match: (d) => d.kind === 'we-reject' && (/has \d+ bytes more than its fields/.test(what(d)) || /CONNACK has 2 bytes after the fixed header, not ([3-9]|\d\d+)$/.test(what(d))),
    // Without the extra bytes, mqtt-packet reads the same packet (it ignored
    // them), and the core takes it alike, or differs by another listed difference.
    check: async (d, t) => {
      const m = /has (\d+) bytes more/.exec(what(d))
      const extra = m ? Number(m[1]) : Number(/not (\d+)$/.exec(what(d))[1]) - 2
      const shorter = withoutLast(bytesOf(d), extra)
      const mp = mpOne(shorter, d.v)
      if (mp.error || canonical(fromMp(mp.packet, d.v)) !== canonical(fromMp(d.mpPacket, d.v))) return 'mqtt-packet reads the packet differently without the extra bytes'
      const r = await compareOne(t.core, d.v, shorter)
      if (r.verdict === 'both accept') return true
      if (r.verdict === 'differ') {
        const sub = await classify(r.difference, t)
        return sub.allowed ? true : `without the extra bytes: ${sub.why}`
      }
      return 'without the extra bytes both refuse it'
    },
    example: { v: 5, hex: 'd00100' }
  },
  {
    id: 'property-overrun',
    title: 'A property runs past the Property Length: mqtt-packet reads it whole and goes on',
    spec: '5.0 §2.2.2.1: the Property Length is the length of the properties; a property that does not end inside it is malformed',
    match: (d) => d.kind === 'we-reject' && /runs past the Property Length|Property Length \(\d+\) runs past/.test(what(d)),
    check: (d) => {
      const regen = mpGenerate(d.mpPacket, d.v)
      return !(regen.bytes && regen.bytes.equals(bytesOf(d))) || 'mqtt-packet writes these very bytes from its reading'
    },
    example: { v: 5, hex: '400a00010003260001610000' }
  },
  {
    id: 'utf8-ill-formed',
    title: 'A string that is not well-formed UTF-8: mqtt-packet decodes it with U+FFFD replacement characters',
    spec: '5.0 [MQTT-1.5.4-1] (3.1.1 [MQTT-1.5.3-1]): "MUST be well-formed UTF-8"; the receiver closes the connection',
    match: (d) => d.kind === 'we-reject' && ['[MQTT-1.5.4-1]', '[MQTT-1.5.3-1]'].includes(d.error?.rule),
    // More replacement characters in mqtt-packet's strings than the bytes hold as EF BF BD.
    check: (d) => {
      const replaced = strings(d.mpPacket).join('').split('\uFFFD').length - 1
      const literal = d.hex.match(/(..)*?efbfbd/g)?.length || 0
      return replaced > literal || 'no replacement character in mqtt-packet\'s reading that the bytes do not hold'
    },
    example: { v: 4, hex: '30030001ff' }
  },
  {
    id: 'utf8-null',
    title: 'U+0000 in a string: mqtt-packet keeps it',
    spec: '5.0 [MQTT-1.5.4-2] (3.1.1 [MQTT-1.5.3-2]): "MUST NOT include an encoding of the null character U+0000"',
    match: (d) => d.kind === 'we-reject' && ['[MQTT-1.5.4-2]', '[MQTT-1.5.3-2]'].includes(d.error?.rule),
    check: (d) => (bytesOf(d)[d.error.offset] === 0 && strings(d.mpPacket).some((s) => s.includes('\0'))) ||
      'no U+0000 at the offset the core names',
    example: { v: 4, hex: '3003000100' }
  },
  {
    id: 'topic-wildcard',
    title: 'A wildcard (+ or #) in a PUBLISH Topic Name: mqtt-packet accepts it',
    spec: '[MQTT-3.3.2-2] (both versions): "The Topic Name in the PUBLISH packet MUST NOT contain wildcard characters"',
    match: (d) => d.kind === 'we-reject' && d.error?.rule === '[MQTT-3.3.2-2]',
    check: (d) => /[+#]/.test(d.mpPacket?.topic ?? '') || 'mqtt-packet\'s topic has no wildcard',
    example: { v: 4, hex: '300300012b' }
  },
  {
    id: 'topic-empty',
    title: 'An empty Topic Name (3.1.1; 5.0 without a Topic Alias): mqtt-packet accepts it',
    spec: '3.1.1 [MQTT-4.7.3-1]: "All Topic Names and Topic Filters MUST be at least one character long"; 5.0 §3.3.2.3.4: a zero-length Topic Name needs a Topic Alias (Protocol Error otherwise)',
    match: (d) => d.kind === 'we-reject' && /Topic Name is empty/.test(what(d)),
    check: (d) => (d.mpPacket?.topic === '' && (d.v === 4 || d.mpPacket?.properties?.topicAlias === undefined)) ||
      'mqtt-packet read a topic',
    example: { v: 4, hex: '30020000' }
  },
  {
    id: 'packet-id-zero',
    title: 'Packet Identifier 0: mqtt-packet accepts it',
    spec: '5.0 §2.2.1 (3.1.1 §2.3.1): Packet Identifiers are non-zero ([MQTT-2.2.1-3], 3.1.1 [MQTT-2.3.1-1]); an ack carries its PUBLISH\'s identifier',
    match: (d) => d.kind === 'we-reject' && /Packet Identifier 0/.test(what(d)),
    check: (d) => d.mpPacket?.messageId === 0 || 'mqtt-packet read another identifier',
    example: { v: 4, hex: '40020000' }
  },
  {
    id: 'empty-list',
    title: 'SUBSCRIBE or UNSUBSCRIBE without a topic filter, SUBACK or 5.0 UNSUBACK without a reason code: mqtt-packet accepts them',
    spec: '5.0 [MQTT-3.8.3-2] (3.1.1 [MQTT-3.8.3-3]), [MQTT-3.10.3-2]: at least one topic filter; 5.0 §3.9.3, §3.11.3 (3.1.1 §3.9.3): one reason code per topic filter',
    match: (d) => d.kind === 'we-reject' && /without a (topic filter|reason code)/.test(what(d)),
    check: (d) => ['subscriptions', 'unsubscriptions', 'granted'].some((k) => Array.isArray(d.mpPacket?.[k]) && d.mpPacket[k].length === 0) ||
      'mqtt-packet read a non-empty list',
    example: { v: 4, hex: '82020001' }
  },
  {
    id: 'property-value',
    title: 'A property value the specification forbids (0 for Receive Maximum, Topic Alias, Maximum Packet Size or a Subscription Identifier; 2 or more for a 0/1 property or Maximum QoS; a Response Topic with wildcards): mqtt-packet accepts it',
    spec: '5.0 §2.2.2.2 and each property\'s section, e.g. §3.2.2.3.3 "It is a Protocol Error to include the Receive Maximum value more than once or for it to have the value 0", §3.3.2.3.4 (Topic Alias 0), §3.3.2.3.8 (Subscription Identifier 0)',
    match: (d) => d.kind === 'we-reject' && /is not an allowed value|Subscription Identifier 0/.test(what(d)),
    check: (d) => {
      const p = propertyValueAt(bytesOf(d), d.error.offset)
      return (p !== null && !p.ok) || 'the value at the offset the core names is allowed'
    },
    example: { v: 5, hex: '2006000003210000' }
  },
  {
    id: 'property-twice',
    title: 'A single-valued property twice (or two Subscription Identifiers in SUBSCRIBE): mqtt-packet keeps both in a list (or, when the first is 0 or empty, only the second)',
    spec: '5.0 §2.2.2.2 and each property\'s section: "It is a Protocol Error to include the <property> more than once"; §3.8.2.1.2 for SUBSCRIBE\'s Subscription Identifier',
    match: (d) => d.kind === 'we-reject' && /appears twice/.test(what(d)),
    check: (d) => {
      const b = bytesOf(d)
      const id = b[d.error.offset]
      const name = PROPERTY_NAMES[id]
      const lists = [d.mpPacket?.properties, d.mpPacket?.will?.properties].map((p) => p?.[name])
      if (lists.some(Array.isArray)) return true
      // mqtt-packet tests the earlier value for truth: a first 0 or empty value is overwritten, not listed.
      const zeros = PROPERTY_SIZE[id]
      return (zeros !== undefined && b.subarray(0, d.error.offset).includes(Buffer.from([id, ...Array(zeros).fill(0)]))) ||
        `mqtt-packet did not read ${name} twice, nor does a 0 or empty one come first`
    },
    example: { v: 5, hex: '2009000006130005130006' }
  },
  {
    id: 'property-not-allowed',
    title: 'A property in a packet that may not carry it: mqtt-packet accepts any known property anywhere',
    spec: '5.0 §2.2.2.2, Table 2-4 (which packets each property may be in); the receiver treats others as a Protocol Error',
    match: (d) => d.kind === 'we-reject' && /is not allowed in/.test(what(d)),
    check: (d) => {
      const name = PROPERTY_NAMES[bytesOf(d)[d.error.offset]]
      const ctx = /in the Will Properties$/.test(what(d)) ? 'will' : TYPE_NAMES[bytesOf(d)[0] >> 4]
      return (name !== undefined && !propertyAllowed(name, ctx)) || `Table 2-4 allows ${name} in ${ctx}`
    },
    example: { v: 5, hex: '2006000003230001' }
  },
  {
    id: 'reason-code-not-of-packet',
    title: 'A reason code the packet does not have (CONNACK: mqtt-packet checks none; 5.0 DISCONNECT 0x8C, see below)',
    spec: '5.0 §2.4 and the packet\'s Reason Code table (§3.2.2.2 for CONNACK); a receiver treats others as a Protocol Error',
    match: (d) => d.kind === 'we-reject' && /is not a \w+ reason code/.test(what(d)),
    check: (d) => {
      const b = bytesOf(d)
      const cmd = TYPE_NAMES[b[0] >> 4]
      return (CODES[cmd] && !CODES[cmd].includes(b[d.error.offset])) || 'the code is in the packet\'s table'
    },
    example: { v: 5, hex: '2003001000' }
  },
  {
    id: 'session-present-on-refusal',
    title: 'CONNACK refusing the connection with Session Present 1: mqtt-packet accepts it',
    spec: '5.0 [MQTT-3.2.2-6] (3.1.1 [MQTT-3.2.2-4]): a server that sends a non-zero code MUST set Session Present to 0',
    match: (d) => d.kind === 'we-reject' && ['[MQTT-3.2.2-6]', '[MQTT-3.2.2-4]'].includes(d.error?.rule),
    check: (d) => (d.mpPacket?.sessionPresent === true && (d.mpPacket.reasonCode || d.mpPacket.returnCode)) > 0 || 'not a refusal with Session Present',
    example: { v: 4, hex: '20020105' }
  },
  {
    id: 'dup-on-qos-0',
    title: 'DUP 1 on a QoS 0 PUBLISH: mqtt-packet accepts it',
    spec: '[MQTT-3.3.1-2] (both versions): "The DUP flag MUST be set to 0 for all QoS 0 messages"',
    match: (d) => d.kind === 'we-reject' && d.error?.rule === '[MQTT-3.3.1-2]',
    check: (d) => ((bytesOf(d)[0] & 0x08) !== 0 && (bytesOf(d)[0] & 0x06) === 0) || 'not DUP on QoS 0',
    example: { v: 4, hex: '3803000174' }
  },
  {
    id: 'will-qos-3',
    title: 'Will QoS 3 in CONNECT: mqtt-packet accepts it',
    spec: '5.0 [MQTT-3.1.2-12] (3.1.1 [MQTT-3.1.2-14]): the Will QoS "MUST NOT be 3"',
    match: (d) => d.kind === 'we-reject' && /Will QoS 3/.test(what(d)),
    check: (d) => d.mpPacket?.will?.qos === 3 || 'mqtt-packet read another Will QoS',
    example: { v: 4, hex: '101300044d515454041e003c000161000174000178' }
  },
  {
    id: 'password-without-user-name-311',
    title: 'A 3.1.1 CONNECT with the Password Flag and no User Name Flag: mqtt-packet reads it',
    spec: '3.1.1 [MQTT-3.1.2-22]: "If the User Name Flag is set to 0, the Password Flag MUST be set to 0" (5.0 §3.1.2.9 dropped the rule)',
    match: (d) => d.kind === 'we-reject' && d.error?.rule === '[MQTT-3.1.2-22]',
    check: (d) => (d.mpPacket?.protocolVersion === 4 && d.mpPacket.password !== undefined && d.mpPacket.username === undefined) ||
      'not a 3.1.1 password without user name',
    example: { v: 4, hex: '101000044d5154540442003c000161000178' }
  },
  {
    id: 'other-protocols',
    title: 'MQTT 3.1 (Protocol Name "MQIsdp", level 3) and the bridge bit (level 0x80 | n): mqtt-packet reads them',
    spec: '3.1.1 §3.1.2.1-2 and 5.0 §3.1.2.1-2: the Protocol Name is "MQTT" ([MQTT-3.1.2-1]) and the level 4 or 5; MQIsdp and bridge mode (a mosquitto extension) are not these protocols',
    match: (d) => d.kind === 'we-reject' && (/Protocol Level \d+ is neither/.test(what(d)) || /the Protocol Name is/.test(what(d))),
    check: (d) => (d.mpPacket && (d.mpPacket.protocolVersion === 3 || d.mpPacket.bridgeMode || d.mpPacket.protocolId === 'MQIsdp')) ||
      'mqtt-packet did not read MQTT 3.1 or bridge mode',
    example: { v: 4, hex: '100d00044d51545483020000000161' }
  },
  {
    id: 'no-local-on-shared',
    title: 'No Local on a shared subscription: mqtt-packet accepts it',
    spec: '5.0 [MQTT-3.8.3-4]: "It is a Protocol Error to set the No Local bit to 1 on a Shared Subscription"',
    match: (d) => d.kind === 'we-reject' && d.error?.rule === '[MQTT-3.8.3-4]',
    check: (d) => (d.mpPacket?.subscriptions || []).some((s) => s.nl && s.topic.startsWith('$share/')) || 'no shared subscription with No Local',
    example: { v: 5, hex: '82100001' + '00' + '000a2473686172652f672f61' + '04' }
  },
  // ---- mqtt-packet refuses, the core accepts: the specification allows it ----
  {
    id: 'auth-without-reason-code',
    title: 'AUTH with Remaining Length 0: mqtt-packet refuses it ("Invalid auth reason code")',
    spec: '5.0 §3.15.2.1: "The Reason Code and Property Length can be omitted if the Reason Code is 0x00 (Success) and there are no Properties. In this case the AUTH has a Remaining Length of 0."',
    match: (d) => d.kind === 'mp-rejects' && /auth reason code/.test(d.mpError),
    check: (d) => d.hex === 'f000' || 'not an AUTH of Remaining Length 0',
    example: { v: 5, hex: 'f000' }
  },
  {
    id: 'disconnect-0x8c',
    title: 'DISCONNECT with 0x8C Bad authentication method: mqtt-packet refuses it',
    spec: '5.0 Table 2-6 lists 0x8C for CONNACK and DISCONNECT; §3.14.2.1\'s list leaves it out. The core follows Table 2-6 (a server may end an enhanced-authentication exchange with it)',
    match: (d) => d.kind === 'mp-rejects' && /disconnect reason code/.test(d.mpError),
    check: (d) => (bytesOf(d)[0] === 0xe0 && bytesOf(d)[1 + remainingLength(bytesOf(d)).size] === 0x8c) || 'not a DISCONNECT 0x8C',
    example: { v: 5, hex: 'e0018c' }
  },
  // ---- both accept, and mqtt-packet loses something ----
  {
    id: 'user-property-empty-value',
    title: 'A User Property with an empty value followed by one of the same name: mqtt-packet drops the first (it tests the value for truth)',
    spec: '5.0 §3.3.2.3.7 and Table 2-4: a User Property may appear many times, also with the same name, and each is kept in order; an empty string is a valid value (§1.5.4)',
    match: (d) => d.kind === 'fields' || (d.kind === 'encoding' && d.direction === 'ours→mp' && d.other !== undefined),
    check: async (d, t) => {
      if (d.kind === 'encoding') {
        // mqtt-packet writes back what it kept: the core, given that, writes the same bytes.
        const [p, w] = userProperties(d.expected)
        if (mpKeepsOfUserProperties(p).length === p.length && mpKeepsOfUserProperties(w).length === w.length) return 'no empty value lost'
        const kept = { ...d.expected, properties: { ...d.expected.properties, userProperties: p.length ? mpKeepsOfUserProperties(p) : undefined } }
        if (d.expected.will) kept.will = { ...d.expected.will, properties: { ...d.expected.will.properties, userProperties: w.length ? mpKeepsOfUserProperties(w) : undefined } }
        const o = await t.encode(d.v, kept)
        return o.hex === d.other || 'the core, given what mqtt-packet kept, writes other bytes'
      }
      const mine = d.ours || d.expected
      const [p, w] = userProperties(mine)
      const [gp, gw] = userProperties(d.got)
      const lost = (a, b) => canonical({ properties: { userProperties: mpKeepsOfUserProperties(a) } }) === canonical({ properties: { userProperties: b } })
      if (!(lost(p, gp) && lost(w, gw))) return 'mqtt-packet\'s user properties are not what its truthiness test keeps'
      const fix = (n) => n && { ...n, properties: { ...n.properties, userProperties: undefined } }
      const strip = (n) => n && { ...fix(n), will: n.will && fix(n.will) }
      return canonical(strip(mine)) === canonical(strip(d.got)) || 'other fields differ too'
    },
    example: { v: 5, packet: { cmd: 'puback', messageId: 1, reasonCode: 0x10, properties: { userProperties: [['a', ''], ['a', 'b']] } } }
  },
  // ---- both valid encodings, not the same bytes ----
  {
    id: 'optional-reason-code-and-properties',
    title: 'mqtt-packet writes the reason code and Property Length that 5.0 lets a sender leave out; the core leaves them out',
    spec: '5.0 §3.4.2.1 and §3.4.2.2.1 (and the same for PUBREC, PUBREL, PUBCOMP), §3.14.2.1 and §3.14.2.2.1, §3.15.2.1: the Reason Code may be omitted when it is 0 and there are no properties; the Property Length when there are none (DISCONNECT, acks)',
    match: (d) => d.kind === 'encoding' && d.other !== undefined,
    check: (d) => {
      const [a, b] = [Buffer.from(d.hex, 'hex'), Buffer.from(d.other, 'hex')]
      const [short, long] = a.length < b.length ? [a, b] : [b, a]
      const cmd = TYPE_NAMES[short[0] >> 4]
      const limit = ['disconnect', 'auth'].includes(cmd) ? 2 : 4
      const [rs, rl] = [remainingLength(short), remainingLength(long)]
      const suffix = long.subarray(1 + rl.size + rs.value)
      return (d.v === 5 && ['puback', 'pubrec', 'pubrel', 'pubcomp', 'disconnect', 'auth'].includes(cmd) && rs.value < limit &&
        short[0] === long[0] && long.subarray(1 + rl.size, 1 + rl.size + rs.value).equals(short.subarray(1 + rs.size)) &&
        (suffix.toString('hex') === '00' || suffix.toString('hex') === '0000')) || 'not an omitted reason code or Property Length'
    },
    example: { v: 5, packet: { cmd: 'disconnect', reasonCode: 0, properties: {} } }
  },
  {
    id: 'user-property-order',
    title: 'User Properties whose names interleave (a, b, a) or look like array indices: mqtt-packet groups them by name in a JavaScript object',
    spec: '5.0 §3.1.2.11.8 and the same for each packet: "The User Property is allowed to appear multiple times to represent multiple name, value pairs. The same name is allowed to appear more than once." The order is kept by the core',
    match: (d) => d.kind === 'encoding' && d.direction === 'ours→mp' && d.other !== undefined,
    check: async (d, t) => {
      const [p, w] = userProperties(d.expected)
      if (canonical(objectOrder(p)) === canonical(p) && canonical(objectOrder(w)) === canonical(w)) return 'the order survives a JavaScript object'
      const reordered = { ...d.expected, properties: { ...d.expected.properties, userProperties: p.length ? objectOrder(p) : undefined } }
      if (d.expected.will) reordered.will = { ...d.expected.will, properties: { ...d.expected.will.properties, userProperties: w.length ? objectOrder(w) : undefined } }
      const o = await t.encode(d.v, reordered)
      return o.hex === d.other || 'the core, given mqtt-packet\'s order, writes other bytes'
    },
    example: { v: 5, packet: { cmd: 'puback', messageId: 1, reasonCode: 0x10, properties: { userProperties: [['a', '1'], ['b', '2'], ['a', '3']] } } }
  },
  {
    id: 'mp-5-connect-limits',
    title: 'mqtt-packet cannot write a 5.0 CONNECT with a password but no user name, or with an empty Client Identifier and Clean Start 0',
    spec: '5.0 §3.1.2.9 allows a password without a user name (3.1.1 [MQTT-3.1.2-22] did not); 5.0 §3.1.3.1 lets a server accept a zero-length Client Identifier whatever Clean Start (3.1.1 [MQTT-3.1.3-7] required Clean Session 1)',
    match: (d) => (d.kind === 'mp-cannot-generate' || (d.kind === 'encoding' && d.mpError)) && d.cmd === 'connect',
    check: (d) => (d.v === 5 && d.expected.protocolVersion === 5 &&
      ((d.expected.password !== null && d.expected.username === null && /Username is required/.test(d.mpError)) ||
        (d.expected.clientId === '' && !d.expected.clean && /clientId must be given/.test(d.mpError)))) || 'not one of these two CONNECTs',
    example: { v: 5, packet: { cmd: 'connect', protocolVersion: 5, clean: true, keepalive: 0, properties: {}, clientId: 'c', will: null, username: null, password: '70' } }
  },
  // ---- streams ----
  {
    id: 'stream-disconnect-auth',
    title: 'In a stream, a 5.0 DISCONNECT or AUTH shorter than 2 bytes makes mqtt-packet read the next packet\'s bytes as its reason code and Property Length',
    spec: '5.0 §2.1.4 (the Remaining Length bounds the packet), §3.14.2.1 and §3.14.2.2.1 (Remaining Length 0 or 1 is a whole DISCONNECT), §3.15.2.1; [MQTT-6.0.0-2] a frame may hold many packets',
    match: (d) => d.kind === 'stream-mp',
    check: (d) => {
      const j = d.mp.firstWrong
      if (j >= d.packets.length - 1) return 'the first packet mqtt-packet gets wrong is the last one'
      const b = Buffer.from(d.packets[j], 'hex')
      if (!(d.v === 5 && [0xe0, 0xf0].includes(b[0]) && b[1] < 2)) return 'the packet it gets wrong is not a DISCONNECT or AUTH shorter than 2 bytes'
      return !mpOne(b, d.v).error || 'mqtt-packet refuses that packet on its own too'
    },
    example: { v: 5, stream: ['e0018e', 'd000'] }
  }
]

/** The entry a difference belongs to, if one matches and confirms. */
export async function classify (d, tools) {
  const reasons = []
  for (const e of DIFFERENCES) {
    if (!e.match(d)) continue
    const ok = await e.check(d, tools)
    if (ok === true) return { allowed: e.id }
    reasons.push(`${e.id}: ${ok}`)
  }
  return { why: reasons.length ? `matched but not confirmed (${reasons.join('; ')})` : 'not in the list of deliberate differences' }
}

/** Each entry's example must show its difference today. */
export async function checkExamples (tools) {
  const failures = []
  for (const e of DIFFERENCES) {
    const x = e.example
    let found = []
    if (x.hex) {
      const r = await compareOne(tools.core, x.v, Buffer.from(x.hex, 'hex'))
      if (r.difference) found = [r.difference]
    } else if (x.packet) {
      found = (await compareValid(tools.core, x.v, x.packet)).differences
    } else if (x.stream) {
      const chosen = x.stream.map((h) => ({ bytes: Buffer.from(h, 'hex'), n: fromMp(mpOne(Buffer.from(h, 'hex'), x.v).packet, x.v) }))
      const s = await compareStream(tools.core, x.v, chosen, Buffer.concat(chosen.map((c) => c.bytes)), [], false)
      if (s) found = [s]
    }
    const verdicts = await Promise.all(found.map((d) => classify(d, tools)))
    if (!verdicts.some((v) => v.allowed === e.id)) {
      failures.push({ kind: 'example', id: e.id, example: x, why: `the example does not show this difference (found: ${JSON.stringify(found).slice(0, 400)}; ${JSON.stringify(verdicts)})` })
    }
  }
  return failures
}
