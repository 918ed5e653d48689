/**
 * Measuring: rates, latency distributions, medians over interleaved rounds, throughput per tenth
 * of a run, timings by name, and a progress line.
 */
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '?');
export const now = () => process.hrtime.bigint();
export const secondsSince = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;
export const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / (xs.length || 1);

/** The p-th percentile (nearest rank) of ascending values; NaN when empty. */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function median(xs: number[]): number {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return NaN;
  return v.length % 2 ? v[(v.length - 1) / 2]! : (v[v.length / 2 - 1]! + v[v.length / 2]!) / 2;
}

/** "p50 … p95 … p99 … max …" of durations. */
export function distribution(xs: number[], unit = 'ms', digits = 1): string {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  const f = (x: number) => `${fmt(x, digits)} ${unit}`;
  return `p50 ${f(percentile(v, 50))}, p95 ${f(percentile(v, 95))}, p99 ${f(percentile(v, 99))}, max ${f(v[v.length - 1] ?? NaN)}`;
}

/**
 * Runs every case once per round, interleaved (case 1, 2, … then again), so a noisy neighbour
 * hurts every case alike; answers each case's measurements in round order.
 */
export async function interleaved<C, M>(cases: C[], rounds: number, run: (c: C, round: number) => Promise<M>): Promise<M[][]> {
  const out: M[][] = cases.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (const [k, c] of cases.entries()) out[k]!.push(await run(c, r));
  }
  return out;
}

/** Completion instants of a run, for its throughput per tenth (by count: the 1st tenth of the
 * items, …). Without a start, the run starts at the first item (a ramp-up is not counted). */
export class Tenths {
  private readonly doneAt: number[] = [];
  constructor(private readonly startMs?: number) {}
  add(atMs: number): void {
    this.doneAt.push(atMs);
  }
  get count(): number {
    return this.doneAt.length;
  }
  /** Items per second in each tenth: a tenth's items over the time from the previous tenth's end. */
  rates(): number[] {
    const t = [...this.doneAt].sort((a, b) => a - b);
    const out: number[] = [];
    let prevEnd = this.startMs ?? t[0]!;
    for (let k = 1; k <= 10; k++) {
      const lo = Math.max(this.startMs === undefined ? 1 : 0, Math.floor(((k - 1) * t.length) / 10));
      const hi = Math.floor((k * t.length) / 10);
      if (hi <= lo) continue;
      const end = t[hi - 1]!;
      out.push(((hi - lo) * 1000) / Math.max(1, end - prevEnd));
      prevEnd = end;
    }
    return out;
  }
}

/** Durations (ms) by name, for profiles. */
export class Timings {
  private readonly data = new Map<string, number[]>();
  add(name: string, ms: number): void {
    let v = this.data.get(name);
    if (!v) this.data.set(name, (v = []));
    v.push(ms);
  }
  async time<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const t = now();
    try {
      return await fn();
    } finally {
      this.add(name, Number(now() - t) / 1e6);
    }
  }
  print(): void {
    console.log(`  ${'what (ms)'.padEnd(52)} ${'count'.padStart(6)} ${'avg'.padStart(8)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'max'.padStart(8)}`);
    for (const [name, v] of [...this.data].sort(([a], [b]) => a.localeCompare(b))) {
      const sorted = [...v].sort((a, b) => a - b);
      const cells = [avg(v), percentile(sorted, 50), percentile(sorted, 95), sorted[sorted.length - 1]!].map((x) => fmt(x).padStart(8)).join(' ');
      console.log(`  ${name.padEnd(52)} ${String(v.length).padStart(6)} ${cells}`);
    }
  }
}

/** One progress line: redrawn in a terminal, otherwise printed at every 10%. */
export class Progress {
  private readonly tty = Boolean(process.stdout.isTTY);
  private lastDecile = -1;
  private lastDraw = 0;
  constructor(
    private readonly label: string,
    private readonly total: number,
  ) {}
  update(done: number, extra = ''): void {
    const pct = this.total ? Math.floor((done / this.total) * 100) : 100;
    const line = `  ${this.label}: ${done}/${this.total} (${pct}%)${extra ? `  ${extra}` : ''}`;
    if (this.tty) {
      const t = Date.now();
      if (t - this.lastDraw < 200 && done < this.total) return;
      this.lastDraw = t;
      process.stdout.write(`\r${line}\x1b[K`);
    } else {
      const decile = Math.floor(pct / 10);
      if (decile > this.lastDecile) {
        this.lastDecile = decile;
        console.log(line);
      }
    }
  }
  end(): void {
    if (this.tty) process.stdout.write('\n');
  }
}

/** Polls `check` every `everyMs` until it answers true; throws `what` after `timeoutS`. */
export async function waitFor(what: string, timeoutS: number, check: () => Promise<boolean>, everyMs = 250): Promise<void> {
  const deadline = Date.now() + timeoutS * 1000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not done after ${timeoutS} s`);
    await sleep(everyMs);
  }
}
