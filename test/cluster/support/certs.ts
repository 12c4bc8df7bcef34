import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** PEM files of one test CA and what it signed, by path and by content. */
export interface TestPki {
  dir: string;
  ca: { cert: string; key: string };
  server: { cert: string; key: string };
  client: { cert: string; key: string };
  read(path: string): string;
}

/** The name in the server certificate; the tests connect to 127.0.0.1 and override the expected name with it. */
export const TEST_SERVER_NAME = 'temporal.seamline.test';

/**
 * Makes a CA and, signed by it, a server certificate (for TEST_SERVER_NAME, localhost and 127.0.0.1; also usable
 * as a client certificate, as a Temporal node's system worker presents it to the frontend) and a client certificate,
 * with `openssl`, valid for two days. EC P-256 keys, PKCS#8 PEM, as Temporal's Go server and the SDK's Rust core
 * both read.
 */
export function makeTestPki(dir: string, label = 'Seamline test'): TestPki {
  requireOpenssl();
  mkdirSync(dir, { recursive: true });
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

  openssl(
    'req',
    '-x509',
    ...ecKey,
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.pem'),
    '-days',
    '2',
    '-subj',
    `/CN=${label} CA`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  const issue = (name: string, subject: string, extensions: string) => {
    writeFileSync(file(`${name}.ext`), extensions);
    openssl('req', ...ecKey, '-keyout', file(`${name}.key`), '-out', file(`${name}.csr`), '-subj', subject);
    openssl(
      'x509',
      '-req',
      '-in',
      file(`${name}.csr`),
      '-CA',
      file('ca.pem'),
      '-CAkey',
      file('ca.key'),
      '-CAcreateserial',
      '-out',
      file(`${name}.pem`),
      '-days',
      '2',
      '-extfile',
      file(`${name}.ext`),
    );
  };
  issue(
    'server',
    `/CN=${TEST_SERVER_NAME}`,
    [
      `subjectAltName=DNS:${TEST_SERVER_NAME},DNS:localhost,IP:127.0.0.1`,
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature',
      'extendedKeyUsage=serverAuth,clientAuth',
      '',
    ].join('\n'),
  );
  issue(
    'client',
    '/CN=seamline-app',
    ['basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=clientAuth', ''].join('\n'),
  );
  return {
    dir,
    ca: { cert: file('ca.pem'), key: file('ca.key') },
    server: { cert: file('server.pem'), key: file('server.key') },
    client: { cert: file('client.pem'), key: file('client.key') },
    read: (path) => readFileSync(path, 'utf8'),
  };
}

function requireOpenssl(): void {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
  } catch {
    throw new Error(
      'openssl is needed to make the test certificates and was not found on PATH. Install it ' +
        '(Debian/Ubuntu: `apt-get install openssl`; macOS: it ships with the system) and run the tests again.',
    );
  }
}
