/**
 * The processes of the topology: each runs in its own process group (so a stop reaches whatever
 * it started too), writes to its own log file, and gets SIGTERM should its parent die (setpriv
 * --pdeathsig, where util-linux has it), so a supervisor killed with -9 leaves no process behind.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  pid: number;
  logFile: string;
  exited: Promise<Exit>;
  /** True once the process has exited. */
  done: () => boolean;
}

const pdeathsig = spawnSync('setpriv', ['--help'], { encoding: 'utf8' }).stdout?.includes('--pdeathsig') ?? false;

export function startProcess(
  name: string,
  command: string,
  args: string[],
  opts: { env: NodeJS.ProcessEnv; logFile: string; cwd?: string; uid?: number; gid?: number; onExit?: (e: Exit) => void },
): ManagedProcess {
  fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
  const out = fs.openSync(opts.logFile, 'a');
  fs.writeSync(out, `\n--- ${new Date().toISOString()} start ${name}: ${command} ${args.join(' ')}\n`);
  const [cmd, argv] = pdeathsig ? ['setpriv', ['--pdeathsig', 'SIGTERM', '--', command, ...args]] : [command, args];
  const child = spawn(cmd, argv, { env: opts.env, cwd: opts.cwd, detached: true, stdio: ['ignore', out, out], uid: opts.uid, gid: opts.gid });
  fs.closeSync(out);
  let finished = false;
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      finished = true;
      opts.onExit?.({ code, signal });
      resolve({ code, signal });
    });
    child.once('error', () => {
      finished = true;
      resolve({ code: 127, signal: null });
    });
  });
  if (child.pid === undefined) throw new Error(`${name}: could not start ${command}`);
  return { name, child, pid: child.pid, logFile: opts.logFile, exited, done: () => finished };
}

function signalGroup(p: ManagedProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-p.pid, signal);
  } catch {
    // the group is gone already
  }
}

/** `signal` (SIGTERM) to the process group; SIGKILL to it if the process has not exited after `timeoutMs`. */
export async function stopProcess(p: ManagedProcess, timeoutMs = 15_000, signal: NodeJS.Signals = 'SIGTERM'): Promise<Exit> {
  if (!p.done()) {
    signalGroup(p, signal);
    const timer = setTimeout(() => signalGroup(p, 'SIGKILL'), timeoutMs);
    await p.exited;
    clearTimeout(timer);
  }
  signalGroup(p, 'SIGKILL'); // anything the process left in its group
  return p.exited;
}

/** kill -9 of the whole process group, as a crash would. */
export async function killProcess(p: ManagedProcess): Promise<Exit> {
  signalGroup(p, 'SIGKILL');
  return p.exited;
}

/** The last lines of a log file, for error messages. */
export function tail(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
