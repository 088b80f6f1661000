// Certificates made at test time with openssl: a CA, and server certificates it
// signs for 127.0.0.1 and localhost. The browser trusts a server by the SHA-256
// of its key's SubjectPublicKeyInfo (Chromium's --ignore-certificate-errors-spki-list),
// so nothing is added to a trust store and no blanket "ignore errors" flag is used.
import { execFileSync } from 'node:child_process';
import { createHash, createPublicKey } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const openssl = (...args) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });

/** Creates `dir`/ca.crt and ca.key: a self-signed CA valid for a day. */
export function makeCa(dir) {
  const ca = { cert: join(dir, 'ca.crt'), key: join(dir, 'ca.key') };
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', ca.key, '-out', ca.cert, '-days', '1', '-subj', '/CN=MQTT Lab test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  return ca;
}

/**
 * A server key and a certificate from `ca` for CN localhost, SAN 127.0.0.1 and
 * localhost; returns the file paths and the key's SPKI pin (base64 SHA-256).
 */
export function makeServerCert(dir, ca, name) {
  const key = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  const cert = join(dir, `${name}.crt`);
  const ext = join(dir, `${name}.ext`);
  openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', key, '-out', csr, '-subj', '/CN=localhost');
  writeFileSync(ext, 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n');
  openssl('x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial',
    '-days', '1', '-sha256', '-extfile', ext, '-out', cert);
  // mosquitto started as root drops to its own user, which must read the key.
  chmodSync(key, 0o644);
  const spki = createPublicKey(readFileSync(key)).export({ type: 'spki', format: 'der' });
  return { key, cert, pin: createHash('sha256').update(spki).digest('base64') };
}
