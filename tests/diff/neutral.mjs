// mqtt-packet's objects to and from the harness's neutral form (README.md),
// and mqtt-packet's parser and generator wrapped to say accept or reject.

import mqtt from 'mqtt-packet'

// mqtt-packet's property types (its constants.propertiesTypes): 'byte' ones are booleans there.
const BOOLEAN = new Set(['payloadFormatIndicator', 'requestProblemInformation', 'requestResponseInformation',
  'retainAvailable', 'wildcardSubscriptionAvailable', 'subscriptionIdentifiersAvailable', 'sharedSubscriptionAvailable'])
const BINARY = new Set(['correlationData', 'authenticationData'])

// The order our encoder writes properties in: by identifier, then User
// Properties, then Subscription Identifiers (crates/core/src/mqtt/properties.rs).
// mqtt-packet writes an object's properties in its key order.
export const WIRE_ORDER = ['payloadFormatIndicator', 'messageExpiryInterval', 'contentType', 'responseTopic',
  'correlationData', 'sessionExpiryInterval', 'assignedClientIdentifier', 'serverKeepAlive', 'authenticationMethod',
  'authenticationData', 'requestProblemInformation', 'willDelayInterval', 'requestResponseInformation',
  'responseInformation', 'serverReference', 'reasonString', 'receiveMaximum', 'topicAliasMaximum', 'topicAlias',
  'maximumQoS', 'retainAvailable', 'maximumPacketSize', 'wildcardSubscriptionAvailable',
  'subscriptionIdentifiersAvailable', 'sharedSubscriptionAvailable', 'userProperties', 'subscriptionIdentifier']

const hex = (b) => Buffer.from(b).toString('hex')
const buf = (h) => Buffer.from(h, 'hex')

function propsToMp (p) {
  const out = {}
  for (const name of WIRE_ORDER) {
    const v = p[name]
    if (v === undefined) continue
    if (name === 'userProperties') {
      const o = Object.create(null)
      for (const [k, x] of v) {
        if (o[k] === undefined) o[k] = x
        else if (Array.isArray(o[k])) o[k].push(x)
        else o[k] = [o[k], x]
      }
      out.userProperties = o
    } else if (name === 'subscriptionIdentifier') {
      out.subscriptionIdentifier = v.length === 1 ? v[0] : v
    } else if (BOOLEAN.has(name)) {
      out[name] = v === 1
    } else if (BINARY.has(name)) {
      out[name] = buf(v)
    } else {
      out[name] = v
    }
  }
  return Object.keys(out).length ? out : undefined
}

function propsFromMp (p) {
  const out = {}
  for (const [name, v] of Object.entries(p || {})) {
    if (name === 'userProperties') {
      out.userProperties = []
      for (const [k, x] of Object.entries(v)) {
        for (const one of Array.isArray(x) ? x : [x]) out.userProperties.push([k, one])
      }
    } else if (name === 'subscriptionIdentifier') {
      out.subscriptionIdentifier = Array.isArray(v) ? v : [v]
    } else if (Array.isArray(v)) {
      out[name] = v.map((x) => propValue(name, x)) // a duplicate: kept to be seen
    } else {
      out[name] = propValue(name, v)
    }
  }
  return out
}

const propValue = (name, v) => BOOLEAN.has(name) ? (v ? 1 : 0) : BINARY.has(name) ? hex(v) : v

/** A neutral packet as mqtt-packet's generate() takes it. */
export function toMp (n, v) {
  const properties = v === 5 ? propsToMp(n.properties || {}) : undefined
  switch (n.cmd) {
    case 'connect':
      return {
        cmd: 'connect',
        protocolId: 'MQTT',
        protocolVersion: n.protocolVersion,
        clean: n.clean,
        keepalive: n.keepalive,
        clientId: n.clientId,
        will: n.will && {
          topic: n.will.topic,
          payload: buf(n.will.payload),
          qos: n.will.qos,
          retain: n.will.retain,
          properties: n.protocolVersion === 5 ? propsToMp(n.will.properties || {}) : undefined
        },
        username: n.username ?? undefined,
        password: n.password === null ? undefined : buf(n.password),
        properties: n.protocolVersion === 5 ? propsToMp(n.properties || {}) : undefined
      }
    case 'connack':
      return v === 5
        ? { cmd: 'connack', sessionPresent: n.sessionPresent, reasonCode: n.reasonCode, properties }
        : { cmd: 'connack', sessionPresent: n.sessionPresent, returnCode: n.reasonCode }
    case 'publish':
      return {
        cmd: 'publish',
        dup: n.dup,
        qos: n.qos,
        retain: n.retain,
        topic: n.topic,
        messageId: n.qos > 0 ? n.messageId : undefined,
        payload: buf(n.payload),
        properties
      }
    case 'puback': case 'pubrec': case 'pubrel': case 'pubcomp':
      return { cmd: n.cmd, messageId: n.messageId, reasonCode: n.reasonCode, properties }
    case 'subscribe':
      return { cmd: 'subscribe', messageId: n.messageId, subscriptions: n.subscriptions.map((s) => ({ ...s })), properties }
    case 'suback':
      return { cmd: 'suback', messageId: n.messageId, granted: n.granted, properties }
    case 'unsubscribe':
      return { cmd: 'unsubscribe', messageId: n.messageId, unsubscriptions: n.unsubscriptions, properties }
    case 'unsuback':
      return { cmd: 'unsuback', messageId: n.messageId, granted: v === 5 ? n.granted : undefined, properties }
    case 'pingreq': case 'pingresp':
      return { cmd: n.cmd }
    case 'disconnect': case 'auth':
      return { cmd: n.cmd, reasonCode: n.reasonCode, properties }
  }
  throw new Error(`unknown cmd ${n.cmd}`)
}

/** mqtt-packet's parsed object in the neutral form. */
export function fromMp (o, v) {
  const properties = propsFromMp(o.properties)
  switch (o.cmd) {
    case 'connect':
      return {
        cmd: 'connect',
        protocolVersion: o.protocolVersion,
        clean: o.clean,
        keepalive: o.keepalive,
        properties,
        clientId: o.clientId,
        will: o.will
          ? { topic: o.will.topic, payload: hex(o.will.payload), qos: o.will.qos, retain: o.will.retain, properties: propsFromMp(o.will.properties) }
          : null,
        username: o.username ?? null,
        password: o.password === undefined ? null : hex(o.password)
      }
    case 'connack':
      return { cmd: 'connack', sessionPresent: o.sessionPresent, reasonCode: v === 5 ? o.reasonCode : o.returnCode, properties }
    case 'publish':
      return {
        cmd: 'publish',
        dup: o.dup,
        qos: o.qos,
        retain: o.retain,
        topic: o.topic,
        messageId: o.qos > 0 ? o.messageId : 0,
        properties,
        payload: hex(o.payload)
      }
    case 'puback': case 'pubrec': case 'pubrel': case 'pubcomp':
      return { cmd: o.cmd, messageId: o.messageId, reasonCode: v === 5 ? o.reasonCode : 0, properties }
    case 'subscribe':
      return {
        cmd: 'subscribe',
        messageId: o.messageId,
        properties,
        subscriptions: o.subscriptions.map((s) => ({ topic: s.topic, qos: s.qos, nl: v === 5 ? s.nl : false, rap: v === 5 ? s.rap : false, rh: v === 5 ? s.rh : 0 }))
      }
    case 'suback':
      return { cmd: 'suback', messageId: o.messageId, properties, granted: o.granted }
    case 'unsubscribe':
      return { cmd: 'unsubscribe', messageId: o.messageId, properties, unsubscriptions: o.unsubscriptions }
    case 'unsuback':
      return { cmd: 'unsuback', messageId: o.messageId, properties, granted: v === 5 ? o.granted : [] }
    case 'pingreq': case 'pingresp':
      return { cmd: o.cmd }
    case 'disconnect': case 'auth':
      return { cmd: o.cmd, reasonCode: v === 5 ? o.reasonCode : 0, properties }
  }
  throw new Error(`unknown cmd ${o.cmd}`)
}

/**
 * A canonical string for comparing two neutral packets: keys sorted, user
 * properties in a stable order by name (mqtt-packet keeps them in an object,
 * which groups values by name: see README, difference user-property-order).
 */
export function canonical (n) {
  const norm = (x) => {
    if (Array.isArray(x)) return x.map(norm)
    if (x && typeof x === 'object') {
      const out = {}
      for (const k of Object.keys(x).sort()) {
        if (x[k] === undefined) continue
        out[k] = k === 'userProperties' && Array.isArray(x[k])
          ? [...x[k]].map((p, i) => [p, i]).sort((a, b) => a[0][0] < b[0][0] ? -1 : a[0][0] > b[0][0] ? 1 : a[1] - b[1]).map((p) => p[0])
          : norm(x[k])
      }
      return out
    }
    return x
  }
  return JSON.stringify(norm(n))
}

/** mqtt-packet's generate(), or the error it throws. */
export function mpGenerate (o, v) {
  try {
    return { bytes: mqtt.generate(o, { protocolVersion: v }) }
  } catch (e) {
    return { error: e.message }
  }
}

/**
 * mqtt-packet's parser over `bytes` (fed in the pieces `cuts` makes):
 * the packets it emits, then 'clean', 'incomplete' or 'error' (its first error).
 */
export function mpStream (bytes, v, cuts = []) {
  const parser = mqtt.parser({ protocolVersion: v })
  const packets = []
  let error = null
  parser.on('packet', (p) => { if (!error) packets.push(p) })
  parser.on('error', (e) => { error = error || e.message })
  let at = 0
  for (const cut of [...cuts, bytes.length]) {
    if (error) break
    try {
      parser.parse(bytes.subarray(at, cut))
    } catch (e) {
      error = error || `threw: ${e.message}`
    }
    at = cut
  }
  const pending = parser._stateCounter !== 0 || parser._list.length > 0
  return { packets, error, end: error ? 'error' : pending ? 'incomplete' : 'clean' }
}

/** Whether mqtt-packet takes `bytes` as exactly one packet, and which. */
export function mpOne (bytes, v) {
  const s = mpStream(bytes, v)
  if (s.error) return { error: s.error, packets: s.packets }
  if (s.packets.length !== 1 || s.end !== 'clean') {
    return { error: `not exactly one packet: ${s.packets.length} packet(s), then ${s.end}`, packets: s.packets }
  }
  return { packet: s.packets[0] }
}
