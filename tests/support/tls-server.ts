/**
 * An HTTPS server on 127.0.0.1 with a self-signed certificate made by the openssl CLI (on stdout:
 * no file written), answering every request with `body`: for the tests of a custom CA (`ca`).
 */
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

function selfSigned(): { key: string; cert: string } {
  const out = execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', '-', '-out', '-', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const block = (label: string) => {
    const m = new RegExp(`-----BEGIN ${label}-----[\\s\\S]+?-----END ${label}-----\\n`).exec(out);
    if (!m) throw new Error(`openssl printed no ${label}`);
    return m[0];
  };
  return { key: block('PRIVATE KEY'), cert: block('CERTIFICATE') };
}

export interface SelfSignedServer {
  /** `https://127.0.0.1:PORT`. */
  origin: string;
  /** The certificate in PEM: the CA a client needs to trust the server. */
  cert: string;
  close(): Promise<void>;
}

export async function startSelfSignedServer(body: string): Promise<SelfSignedServer> {
  const { key, cert } = selfSigned();
  const tls = createHttpsServer({ key, cert }, (req, res) => {
    req.resume();
    res.end(body);
  });
  tls.listen(0, '127.0.0.1');
  await once(tls, 'listening');
  return {
    origin: `https://127.0.0.1:${(tls.address() as AddressInfo).port}`,
    cert,
    close: () =>
      new Promise<void>((r) => {
        tls.close(() => r());
        tls.closeAllConnections();
      }),
  };
}
