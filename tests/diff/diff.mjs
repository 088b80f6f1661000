// Differential test of the core's MQTT codec against MQTT.js's mqtt-packet
// (an independent implementation). See README.md beside this file.
//
//   node tests/diff/diff.mjs [--seed N] [--cases N] [--case I] [--bin PATH] [--dump FILE]
//
// The core side is the codec_json example, built once:
//   cargo build --release -p mqtt-lab-core --example codec_json

import { spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'
import { fileURLToPath } from 'node:url'
import { MUTATIONS, packet, rng, typesOf } from './gen.mjs'
import { compareOne, compareStream, compareValid } from './compare.mjs'
import { DIFFERENCES, checkExamples, classify } from './differences.mjs'

const root = fileURLToPath(new URL('../..', import.meta.url))
const { values: args } = parseArgs({
  options: {
    seed: { type: 'string', default: '20250611' },
    cases: { type: 'string', default: '20000' },
    case: { type: 'string' },
    bin: { type: 'string', default: `${root}target/release/examples/codec_json` },
    dump: { type: 'string' }
  }
})
const SEED = Number(args.seed) >>> 0
const CASES = Number(args.cases)
const MP_VERSION = JSON.parse(readFileSync(`${root}node_modules/mqtt-packet/package.json`, 'utf8')).version

// ---------- the core, over a pipe ----------

const child = spawn(args.bin, [], { stdio: ['pipe', 'pipe', 'inherit'] })
child.on('error', (e) => {
  console.error(`cannot start ${args.bin}: ${e.message}\nbuild it: cargo build --release -p mqtt-lab-core --example codec_json`)
  process.exit(2)
})
const waiting = []
createInterface({ input: child.stdout }).on('line', (line) => waiting.shift()(JSON.parse(line)))

/** The core's answers to `requests`, in order (it answers one line per line). */
function core (requests) {
  const answers = requests.map(() => new Promise((resolve) => waiting.push(resolve)))
  child.stdin.write(requests.map((r) => JSON.stringify(r) + '\n').join(''))
  return Promise.all(answers)
}

const tools = {
  core,
  decode: async (v, bytes) => (await core([{ op: 'decode', v, hex: bytes.toString('hex') }]))[0],
  encode: async (v, packet) => (await core([{ op: 'encode', v, packet }]))[0]
}

// ---------- bookkeeping ----------

const counts = { valid: 0, identical: 0, mutated: 0, bothReject: 0, bothAccept: 0, streams: 0, streamPackets: 0 }
const perType = {}
const perMutation = {}
const allowed = Object.fromEntries(DIFFERENCES.map((d) => [d.id, 0]))
const failures = []
const pool = [] // valid packets both sides read alike, with our bytes: the streams are made of them

async function judge (d, where) {
  const verdict = await classify(d, tools)
  if (verdict.allowed) allowed[verdict.allowed]++
  else failures.push({ ...d, where, why: verdict.why })
}

// ---------- one case: a valid packet both ways, then one mutation of its bytes ----------

const MUTATION_NAMES = Object.keys(MUTATIONS)

async function runCase (i) {
  const v = i % 2 === 0 ? 4 : 5
  const types = typesOf(v)
  const cmd = types[Math.floor(i / 2) % types.length]
  const r = rng(SEED, i)
  const n = packet(r, v, cmd)
  const where = `node tests/diff/diff.mjs --seed ${SEED} --case ${i}`
  const key = `${cmd} ${v === 4 ? '3.1.1' : '5.0'}`
  perType[key] = (perType[key] || 0) + 1
  counts.valid++
  const valid = await compareValid(core, v, n)
  counts.identical += valid.identical
  await Promise.all(valid.differences.map((d) => judge(d, where)))
  if (!valid.ours) return
  if (valid.agreed && cmd !== 'connect' && cmd !== 'connack') pool.push({ i, v, n, bytes: valid.ours })
  const mutation = MUTATION_NAMES[r.int(0, MUTATION_NAMES.length - 1)]
  const m = MUTATIONS[mutation](r, valid.ours)
  if (!m || m.length === 0) return
  counts.mutated++
  perMutation[mutation] = (perMutation[mutation] || 0) + 1
  const one = await compareOne(core, v, m)
  if (one.verdict === 'both reject') counts.bothReject++
  else if (one.verdict === 'both accept') counts.bothAccept++
  else await judge({ ...one.difference, mutation, source: valid.ours.toString('hex') }, where)
}

// ---------- streams: many packets in one buffer, fed in pieces ----------

async function runStream (s) {
  const r = rng(SEED, 0x5eed0000 + s)
  const v = s % 2 === 0 ? 4 : 5
  const mine = pools[v]
  if (mine.length === 0) return
  const chosen = Array.from({ length: r.int(1, 12) }, () => r.pick(mine))
  let bytes = Buffer.concat(chosen.map((p) => p.bytes))
  // Cut inside the last packet (keeping its first byte): it stays unfinished.
  const last = chosen[chosen.length - 1].bytes.length
  const truncated = last > 1 && r.chance(0.25)
  if (truncated) bytes = bytes.subarray(0, bytes.length - r.int(1, last - 1))
  const cuts = [...new Set(Array.from({ length: r.int(0, 4) }, () => r.int(0, bytes.length)))].sort((a, b) => a - b)
  counts.streams++
  counts.streamPackets += chosen.length
  const d = await compareStream(core, v, chosen, bytes, cuts, truncated)
  if (d) await judge(d, `node tests/diff/diff.mjs --seed ${SEED} (stream ${s})`)
}

// ---------- main ----------

const started = Date.now()
failures.push(...await checkExamples(tools))
const cases = args.case !== undefined ? [Number(args.case)] : Array.from({ length: CASES }, (_, i) => i)
const BATCH = 256 // cases in flight at once
for (let k = 0; k < cases.length; k += BATCH) await Promise.all(cases.slice(k, k + BATCH).map(runCase))
// The first 2,000 of each version, in case order (whatever order the cases finished in).
pool.sort((a, b) => a.i - b.i)
const pools = { 4: pool.filter((p) => p.v === 4).slice(0, 2000), 5: pool.filter((p) => p.v === 5).slice(0, 2000) }
if (args.case === undefined) {
  const streams = Math.floor(CASES / 10)
  for (let k = 0; k < streams; k += BATCH) {
    await Promise.all(Array.from({ length: Math.min(BATCH, streams - k) }, (_, j) => runStream(k + j)))
  }
}
child.stdin.end()

const exchanged = 2 * counts.valid + counts.mutated + counts.streamPackets
const seconds = ((Date.now() - started) / 1000).toFixed(1)
const differing = counts.mutated - counts.bothReject - counts.bothAccept
console.log(`mqtt-packet ${MP_VERSION} against the core's codec (codec_json), seed ${SEED}`)
console.log(`valid packets: ${counts.valid}, each both ways; ${counts.identical} of the ${2 * counts.valid} re-encodings byte-identical`)
console.log(`  ${Object.entries(perType).map(([k, x]) => `${k} ${x}`).join(', ')}`)
console.log(`mutated packets: ${counts.mutated}: ${counts.bothReject} refused by both, ${counts.bothAccept} accepted by both with the same fields, ${differing} differ`)
console.log(`  ${Object.entries(perMutation).map(([k, x]) => `${k} ${x}`).join(', ')}`)
console.log(`streams: ${counts.streams} holding ${counts.streamPackets} packets, fed in random pieces`)
console.log(`packets exchanged: ${exchanged} in ${seconds} s`)
console.log('deliberate differences (README.md), times seen:')
for (const d of DIFFERENCES) console.log(`  ${d.id}: ${allowed[d.id]}`)
if (args.dump) writeFileSync(args.dump, JSON.stringify(failures, null, 1))
if (failures.length) {
  console.log(`\nFAIL: ${failures.length} difference(s) not explained by the list; the first ones:`)
  for (const f of failures.slice(0, 10)) console.log(JSON.stringify(f, null, 1).slice(0, 3000))
  process.exit(1)
}
console.log('every difference is a deliberate one')
