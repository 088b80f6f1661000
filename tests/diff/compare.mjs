// The comparisons themselves: a valid packet both ways, a byte string as
// exactly one packet, a stream. Each returns the differences it found, as
// records that differences.mjs classifies (README.md, "What is compared").

import { canonical, fromMp, mpGenerate, mpOne, mpStream, toMp } from './neutral.mjs'

/**
 * A valid packet `n` (neutral form) both ways. B: the core encodes, mqtt-packet
 * parses and generates again. A: mqtt-packet generates, the core decodes and
 * encodes again. `core` answers requests (diff.mjs).
 */
export async function compareValid (core, v, n) {
  const out = { differences: [], identical: 0, ours: null, agreed: false }
  const want = canonical(n)
  const generated = mpGenerate(toMp(n, v), v)
  const [enc, dec] = await core([
    { op: 'encode', v, packet: n },
    { op: 'decode', v, hex: generated.bytes ? generated.bytes.toString('hex') : '' }
  ])
  const base = { v, cmd: n.cmd, expected: n }
  if (enc.error) {
    out.differences.push({ ...base, kind: 'we-refuse-to-encode', error: enc.error })
  } else {
    const bytes = Buffer.from(enc.hex, 'hex')
    out.ours = bytes
    const mp = mpOne(bytes, v)
    if (mp.error) {
      out.differences.push({ ...base, kind: 'mp-rejects', direction: 'ours→mp', hex: enc.hex, mpError: mp.error })
    } else {
      const got = fromMp(mp.packet, v)
      out.agreed = canonical(got) === want
      if (!out.agreed) out.differences.push({ ...base, kind: 'fields', direction: 'ours→mp', hex: enc.hex, got })
      const again = mpGenerate(mp.packet, v)
      if (again.bytes && again.bytes.equals(bytes)) out.identical++
      else out.differences.push({ ...base, kind: 'encoding', direction: 'ours→mp', hex: enc.hex, other: again.bytes?.toString('hex'), mpError: again.error })
    }
  }
  if (generated.error) {
    out.differences.push({ ...base, kind: 'mp-cannot-generate', mpError: generated.error })
  } else {
    const hexA = generated.bytes.toString('hex')
    if (dec.error) {
      out.differences.push({ ...base, kind: 'we-reject', direction: 'mp→ours', hex: hexA, error: dec.error, mpPacket: mpOne(generated.bytes, v).packet })
    } else {
      if (canonical(dec.packet) !== want) out.differences.push({ ...base, kind: 'fields', direction: 'mp→ours', hex: hexA, got: dec.packet })
      if (dec.hex === hexA) out.identical++
      else out.differences.push({ ...base, kind: 'encoding', direction: 'mp→ours', hex: hexA, other: dec.hex, error: dec.encode_error })
    }
  }
  return out
}

/**
 * Whether `bytes` are exactly one valid packet, asked of both. `ours` is the
 * core's decode answer when the caller already has it (batched).
 */
export async function compareOne (core, v, bytes, ours) {
  const o = ours || (await core([{ op: 'decode', v, hex: bytes.toString('hex') }]))[0]
  const mp = mpOne(bytes, v)
  const d = { v, cmd: o.packet?.cmd || mp.packet?.cmd, hex: bytes.toString('hex') }
  if (o.error && mp.error) return { verdict: 'both reject' }
  if (o.error) return { verdict: 'differ', difference: { ...d, kind: 'we-reject', error: o.error, mpPacket: mp.packet } }
  if (mp.error) return { verdict: 'differ', difference: { ...d, kind: 'mp-rejects', mpError: mp.error, ours: o.packet } }
  const got = fromMp(mp.packet, v)
  if (canonical(got) !== canonical(o.packet)) {
    return { verdict: 'differ', difference: { ...d, kind: 'fields', direction: 'both accept', got, ours: o.packet } }
  }
  return { verdict: 'both accept' }
}

/**
 * A stream of valid packets (`chosen`, each with its neutral form `n` and our
 * bytes), perhaps cut short inside the last one, fed in pieces at `cuts`.
 */
export async function compareStream (core, v, chosen, bytes, cuts, truncated) {
  const [o] = await core([{ op: 'stream', v, hex: bytes.toString('hex'), cuts }])
  const mp = mpStream(bytes, v, cuts)
  const expect = truncated ? chosen.slice(0, -1) : chosen
  const end = truncated ? 'incomplete' : 'clean'
  const oursOk = o.end === end && o.packets.length === expect.length &&
    o.packets.every((x, j) => canonical(x) === canonical(expect[j].n))
  const mpOk = mp.end === end && mp.packets.length === expect.length &&
    mp.packets.every((x, j) => canonical(fromMp(x, v)) === canonical(expect[j].n))
  if (oursOk && mpOk) return null
  const firstWrong = (packets, conv) => {
    const j = expect.findIndex((e, k) => k >= packets.length || canonical(conv(packets[k])) !== canonical(e.n))
    return j < 0 ? expect.length : j
  }
  return {
    v,
    kind: oursOk ? 'stream-mp' : 'stream-ours',
    hex: bytes.toString('hex'),
    cuts,
    truncated,
    packets: chosen.map((c) => c.bytes.toString('hex')),
    ours: { end: o.end, n: o.packets.length, error: o.error, firstWrong: firstWrong(o.packets, (x) => x) },
    mp: { end: mp.end, n: mp.packets.length, error: mp.error, firstWrong: firstWrong(mp.packets, (x) => fromMp(x, v)) }
  }
}
