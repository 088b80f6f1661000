// aedes (tests/interop/package.json) as a broker of the interoperability matrix:
// MQTT over TCP and over WebSocket (ws's createWebSocketStream, as aedes's
// docs/Examples.md shows), on 127.0.0.1, one user with a password.
//   node tests/interop/aedes-server.mjs TCP_PORT WS_PORT USER PASSWORD
// Prints "ready" once both listeners accept; runs until killed.
import { createServer as createTcp } from 'node:net';
import { createServer as createHttp } from 'node:http';
import { Aedes } from 'aedes';
import { WebSocketServer, createWebSocketStream } from 'ws';

const [tcpPort, wsPort, user, password] = process.argv.slice(2);
const aedes = await Aedes.createBroker();
// A wrong user name or password: CONNACK return code 4 ("bad user name or
// password", 3.1.1 §3.2.2.3); without the returnCode aedes would send 5.
aedes.authenticate = (client, username, pass, callback) => {
  if (username === user && pass?.toString() === password) return callback(null, true);
  const error = new Error('bad user name or password');
  error.returnCode = 4;
  return callback(error, false);
};
const tcp = createTcp(aedes.handle);
const http = createHttp();
// ws chooses the first subprotocol the client offers: "mqtt" from the page.
const wss = new WebSocketServer({ server: http });
wss.on('connection', (socket, req) => aedes.handle(createWebSocketStream(socket), req));
await Promise.all([
  new Promise((r) => tcp.listen(Number(tcpPort), '127.0.0.1', r)),
  new Promise((r) => http.listen(Number(wsPort), '127.0.0.1', r)),
]);
console.log('ready');
