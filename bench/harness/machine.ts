/**
 * Who used the CPUs: this process (API, worker, load), the Temporal dev server, Postgres
 * (postmaster and its backends), and everything else on the machine (the neighbours sharing it),
 * from /proc on Linux (elsewhere only this process is known). A benchmark takes a snapshot before
 * and after a phase and prints the difference; the neighbours' share says whether the machine
 * was loaded while it measured.
 */
import fs from 'node:fs';
import os from 'node:os';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { fmt } from './measure';

const CLK_TCK = 100; // USER_HZ

/** CPU seconds of one process (with its reaped children) and its parent pid; null when gone. */
function procCpu(pid: number): { cpu: number; ppid: number } | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // after the command: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
    return { ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / CLK_TCK };
  } catch {
    return null;
  }
}

/** CPU seconds of a postmaster and all its child processes (0 when unknown). */
function postgresCpu(postmasterPid: number | undefined): number {
  if (!postmasterPid || process.platform !== 'linux') return 0;
  let total = 0;
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const p = procCpu(Number(name));
    if (p && (Number(name) === postmasterPid || p.ppid === postmasterPid)) total += p.cpu;
  }
  return total;
}

/** CPU seconds the whole machine has been busy: user, nice, system and steal. Interrupt time is
 * left out: much of it is the benchmark's own loopback traffic, charged to no process. */
function machineBusy(): number {
  try {
    const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    return (f[0]! + f[1]! + f[2]! + f[7]!) / CLK_TCK;
  } catch {
    return NaN;
  }
}

/** The postmaster's pid from its data folder (undefined before it started). */
export function postmasterPid(dataDir: string): number | undefined {
  try {
    return Number(fs.readFileSync(`${dataDir}/postmaster.pid`, 'utf8').split('\n')[0]);
  } catch {
    return undefined;
  }
}

export interface CpuSnapshot {
  at: bigint;
  self: number;
  temporal: number;
  postgres: number;
  machine: number;
  elu: EventLoopUtilization;
}

export interface CpuUse {
  seconds: number;
  /** Average cores busy over the interval. */
  self: number;
  temporal: number;
  postgres: number;
  others: number;
  machine: number;
  mainThread: number;
  /** CPU seconds of this process, Temporal and Postgres together. */
  ownCpuSeconds: number;
}

/** Snapshots of the CPU time of the benchmark's parts; pids are looked up at each snapshot. */
export class CpuMeter {
  constructor(private readonly pids: { temporal?: () => number | undefined; postmaster?: () => number | undefined } = {}) {}

  snapshot(): CpuSnapshot {
    const u = process.cpuUsage();
    const temporalPid = this.pids.temporal?.();
    return {
      at: process.hrtime.bigint(),
      self: (u.user + u.system) / 1e6,
      temporal: temporalPid && process.platform === 'linux' ? (procCpu(temporalPid)?.cpu ?? 0) : 0,
      postgres: postgresCpu(this.pids.postmaster?.()),
      machine: machineBusy(),
      elu: performance.eventLoopUtilization(),
    };
  }

  static use(a: CpuSnapshot, b: CpuSnapshot): CpuUse {
    const seconds = Number(b.at - a.at) / 1e9;
    const self = b.self - a.self;
    const temporal = b.temporal - a.temporal;
    const postgres = b.postgres - a.postgres;
    const machine = b.machine - a.machine;
    return {
      seconds,
      self: self / seconds,
      temporal: temporal / seconds,
      postgres: postgres / seconds,
      others: Math.max(0, machine - self - temporal - postgres) / seconds,
      machine: machine / seconds,
      mainThread: performance.eventLoopUtilization(b.elu, a.elu).utilization,
      ownCpuSeconds: self + temporal + postgres,
    };
  }

  /** "cores busy …" for an interval, and CPU per unit of work when `units` is given. */
  static line(u: CpuUse, units?: { n: number; what: string }): string {
    const c = (x: number) => fmt(x, 2);
    const linux = process.platform === 'linux';
    let s =
      `cores busy (of ${os.cpus().length}): bench process ${c(u.self)} (main thread ${fmt(u.mainThread * 100, 0)}% busy), temporal ${c(u.temporal)}, postgres ${c(u.postgres)}` +
      (linux ? `, everything else ${c(u.others)}${loaded(u) ? ' (LOADED)' : ''}` : '');
    if (units?.n) {
      const per = (cores: number) => fmt((cores * u.seconds * 1000) / units.n);
      s += `\n  CPU per ${units.what}: ${fmt((u.ownCpuSeconds * 1000) / units.n)} ms (bench process ${per(u.self)}, temporal ${per(u.temporal)}, postgres ${per(u.postgres)})`;
    }
    return s;
  }
}

/** Other processes used more than a quarter of a core meanwhile: the figures are the neighbours' too. */
export const loaded = (u: CpuUse): boolean => Number.isFinite(u.others) && u.others > 0.25;

/** One line about the machine and its load right now. */
export function machineLine(): string {
  const cpus = os.cpus();
  return (
    `machine: ${cpus.length} cpus (${cpus[0]?.model.trim() ?? 'unknown'}), ${fmt(os.totalmem() / 2 ** 30)} GiB, ` +
    `load average ${os.loadavg().map((l) => fmt(l, 2)).join(' ')}; node ${process.version} on ${process.platform}-${process.arch}`
  );
}
