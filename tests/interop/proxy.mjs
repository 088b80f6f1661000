// A TCP proxy on 127.0.0.1 between the page and a broker, driven by the test: it
// forwards bytes both ways as they come (TCP: nothing is reordered or delayed) and
// cuts a connection, both sides at once, when a chosen number of bytes from the
// client has passed, usually in the middle of a packet.
import { createServer, connect } from 'node:net';

/**
 * Starts a proxy to 127.0.0.1:`target`; resolves with { port, connections, cuts (offsets on
 * their connections), refused, cutAfter(n), pause(), resume(), close() }.
 */
export function startProxy(target) {
  const state = { connections: 0, cuts: [], pending: null, current: null, paused: false, refused: 0 };
  const open = new Set();
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
    const conn = { cut: null };
    state.current = conn;
    client.on('data', (d) => {
      if (state.pending !== null && state.current === conn && state.pending <= d.length) {
        // Forward only the bytes before the cut: the broker gets part of a packet.
        const keep = state.pending;
        state.pending = null;
        state.cuts.push(sent + keep);
        upstream.write(d.subarray(0, keep), () => { client.destroy(); upstream.destroy(); });
        return;
      }
      if (state.pending !== null && state.current === conn) state.pending -= d.length;
      sent += d.length;
      upstream.write(d);
    });
    upstream.on('data', (d) => client.write(d));
    for (const [a, b] of [[client, upstream], [upstream, client]]) {
      a.on('close', () => { open.delete(a); b.destroy(); });
      a.on('error', () => b.destroy());
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    port: server.address().port,
    get connections() { return state.connections; },
    get cuts() { return state.cuts; },
    /** Cuts the newest connection once `n` more bytes from the client have passed on it (at byte n of them). */
    cutAfter(n) { state.pending = n; },
    /** Cuts every connection and closes new ones at once, until resume(): the network is down. */
    pause() {
      state.paused = true;
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
