/**
 * How the processes reach Temporal (config/temporal.ts): the local dev server in the clear; Temporal
 * Cloud or a secured cluster over TLS with an API key or a client certificate (mTLS); settings that
 * cannot work stop the start with a message naming them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../config';
import { temporalConnectionOptions } from '../config/temporal';

const options = (env: Record<string, string>) => temporalConnectionOptions(loadConfig(env));

test('without TEMPORAL_ADDRESS the local dev server, in the clear', () => {
  expect(options({ TEMPORAL_PORT: '7299' })).toEqual({ address: '127.0.0.1:7299' });
});

test('Temporal Cloud with an API key: TLS on, the key sent', () => {
  expect(options({ TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_API_KEY: 'k-123' })).toEqual({ address: 'ns.acct.tmprl.cloud:7233', tls: true, apiKey: 'k-123' });
});

test('mTLS: the certificate pair (and a CA) read from their files', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tls-'));
  for (const f of ['c.pem', 'k.pem', 'ca.pem']) fs.writeFileSync(path.join(dir, f), `-----${f}-----`);
  const o = options({ TEMPORAL_ADDRESS: 'temporal.internal:7233', TEMPORAL_TLS_CERT_PATH: path.join(dir, 'c.pem'), TEMPORAL_TLS_KEY_PATH: path.join(dir, 'k.pem'), TEMPORAL_TLS_CA_PATH: path.join(dir, 'ca.pem') });
  expect(o.address).toBe('temporal.internal:7233');
  expect(o.apiKey).toBeUndefined();
  const tls = o.tls as { clientCertPair: { crt: Buffer; key: Buffer }; serverRootCACertificate: Buffer };
  expect(tls.clientCertPair.crt.toString()).toBe('-----c.pem-----');
  expect(tls.clientCertPair.key.toString()).toBe('-----k.pem-----');
  expect(tls.serverRootCACertificate.toString()).toBe('-----ca.pem-----');
  fs.rmSync(dir, { recursive: true, force: true });
});

test('TEMPORAL_TLS=true without credentials: TLS with the system roots', () => {
  expect(options({ TEMPORAL_ADDRESS: 'temporal.internal:7233', TEMPORAL_TLS: 'true' })).toEqual({ address: 'temporal.internal:7233', tls: true });
});

test('settings that cannot work are refused, naming the variables', () => {
  expect(() => options({ TEMPORAL_TLS_CERT_PATH: '/x.pem' })).toThrow(new ConfigError('TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH: set both (mTLS) or neither'));
  expect(() => options({ TEMPORAL_API_KEY: 'k', TEMPORAL_TLS: 'false' })).toThrow(/TEMPORAL_TLS=false/);
  expect(() => options({ TEMPORAL_TLS_CERT_PATH: '/nonexistent/c.pem', TEMPORAL_TLS_KEY_PATH: '/nonexistent/k.pem' })).toThrow(/TEMPORAL_TLS_CERT_PATH: cannot read \/nonexistent\/c.pem \(ENOENT\)/);
  expect(() => loadConfig({ TEMPORAL_TLS: 'yes' })).toThrow(/TEMPORAL_TLS/);
});
