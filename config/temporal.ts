/**
 * How every process reaches Temporal: the address (TEMPORAL_ADDRESS, else the local dev server's
 * port) and, for Temporal Cloud or a secured cluster, TLS with an API key (TEMPORAL_API_KEY) or a
 * client certificate (TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH, mTLS). The answer fits
 * both `Connection.connect` (the client) and `NativeConnection.connect` (the worker).
 */
import fs from 'node:fs';
import { ConfigError, type Config } from './index';

type TemporalSettings = Pick<
  Config,
  'TEMPORAL_ADDRESS' | 'TEMPORAL_PORT' | 'TEMPORAL_API_KEY' | 'TEMPORAL_TLS' | 'TEMPORAL_TLS_CERT_PATH' | 'TEMPORAL_TLS_KEY_PATH' | 'TEMPORAL_TLS_CA_PATH'
>;

export interface TemporalConnectionOptions {
  address: string;
  apiKey?: string;
  tls?: boolean | { clientCertPair?: { crt: Buffer; key: Buffer }; serverRootCACertificate?: Buffer };
}

export function temporalAddress(config: Pick<Config, 'TEMPORAL_ADDRESS' | 'TEMPORAL_PORT'>): string {
  return config.TEMPORAL_ADDRESS ?? `127.0.0.1:${config.TEMPORAL_PORT}`;
}

function readPem(file: string, setting: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new ConfigError(`${setting}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/** The connection options the settings ask for; a half-given certificate pair is a ConfigError. */
export function temporalConnectionOptions(config: TemporalSettings): TemporalConnectionOptions {
  const address = temporalAddress(config);
  const { TEMPORAL_TLS_CERT_PATH: cert, TEMPORAL_TLS_KEY_PATH: key, TEMPORAL_TLS_CA_PATH: ca, TEMPORAL_API_KEY: apiKey } = config;
  if (Boolean(cert) !== Boolean(key)) throw new ConfigError('TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH: set both (mTLS) or neither');
  const secured = config.TEMPORAL_TLS === 'true' || (config.TEMPORAL_TLS === 'auto' && Boolean(apiKey || cert || ca));
  if (!secured) {
    if (apiKey || cert) throw new ConfigError('TEMPORAL_TLS=false: an API key or a client certificate is only sent over TLS');
    return { address };
  }
  const clientCertPair = cert && key ? { crt: readPem(cert, 'TEMPORAL_TLS_CERT_PATH'), key: readPem(key, 'TEMPORAL_TLS_KEY_PATH') } : undefined;
  const serverRootCACertificate = ca ? readPem(ca, 'TEMPORAL_TLS_CA_PATH') : undefined;
  const tls = clientCertPair || serverRootCACertificate ? { ...(clientCertPair ? { clientCertPair } : {}), ...(serverRootCACertificate ? { serverRootCACertificate } : {}) } : true;
  return { address, tls, ...(apiKey ? { apiKey } : {}) };
}
