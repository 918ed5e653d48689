/**
 * `npm start`'s script as a child process: the real Temporal dev server (with its UI), an embedded
 * Postgres, the worker and the API. Readiness turns 200, the UI lists the namespace, SIGTERM leaves
 * no child behind, and a second start finds the data of the first.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../config';
import { freePort } from './harness/ports';

jest.setTimeout(240_000);

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startScript(env: Record<string, string>): Started {
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'scripts', 'start.ts')], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function waitFor(fn: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await fn().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function processesMentioning(text: string): string[] {
  const ps = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return ps.split('\n').filter((l) => l.includes(text) && !l.includes('ps -eo'));
}

let dataDir: string;
beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'settlement-start-'));
  fs.chmodSync(dataDir, 0o755);
});
afterAll(() => {
  for (const line of processesMentioning(dataDir)) {
    const pid = Number(line.trim().split(/\s+/)[0]);
    if (pid) process.kill(pid, 'SIGKILL');
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function ports() {
  return {
    API_PORT: String(await freePort()),
    TEMPORAL_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    PG_PORT: String(await freePort()),
  };
}

test('start script: /readyz turns 200, the UI lists the namespace, SIGTERM leaves no child behind, data survives a restart', async () => {
  const p = await ports();
  const env = { ...p, DATA_DIR: dataDir };
  const first = startScript(env);
  const api = `http://127.0.0.1:${p.API_PORT}`;
  await waitFor(async () => (await fetch(`${api}/readyz`)).status === 200, 180_000, '/readyz 200');
  expect(first.output()).toContain(`http://127.0.0.1:${p.TEMPORAL_UI_PORT}`);
  const ns = await (await fetch(`http://127.0.0.1:${p.TEMPORAL_UI_PORT}/api/v1/namespaces`)).json();
  expect(JSON.stringify(ns)).toContain('"default"');
  expect((await fetch(`${api}/healthz`)).status).toBe(200);
  expect(processesMentioning(dataDir).length).toBeGreaterThan(0);

  first.child.kill('SIGTERM');
  expect(await first.exited).toBe(0);
  await waitFor(async () => processesMentioning(dataDir).length === 0, 15_000, 'children to exit');
  expect(processesMentioning(dataDir)).toEqual([]);

  const second = startScript(env);
  await waitFor(async () => (await fetch(`${api}/readyz`)).status === 200, 180_000, '/readyz 200 after restart');
  expect(second.output()).toContain('database schema up to date');
  second.child.kill('SIGTERM');
  expect(await second.exited).toBe(0);
});

test('start script: a port already taken gives a clear message, not a stack trace', async () => {
  const p = await ports();
  const blocker = net.createServer();
  await new Promise<void>((r) => blocker.listen(Number(p.API_PORT), '127.0.0.1', () => r()));
  try {
    const run = startScript({ ...p, DATA_DIR: path.join(dataDir, 'unused') });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain(`port ${p.API_PORT} (API_PORT) is already in use`);
    expect(run.output()).not.toMatch(/\n\s+at /);
  } finally {
    blocker.close();
  }
});

test('start script: a bad setting stops the process with a message naming the variable', async () => {
  const run = startScript({ API_PORT: 'not-a-port', DATA_DIR: path.join(dataDir, 'unused') });
  expect(await run.exited).toBe(2);
  expect(run.output()).toContain('API_PORT');
});
