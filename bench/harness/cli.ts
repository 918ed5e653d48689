/**
 * Flags of a benchmark: `--name value`, `--name=value` or a switch (`--name`), each optionally
 * read from an environment variable too. Unknown flags and bad values stop the run with the usage.
 */
export class Flags {
  private readonly values = new Map<string, string>();

  /** `known`: every flag the benchmark takes, and whether it is a switch (no value). */
  constructor(
    private readonly usage: string,
    known: Record<string, 'value' | 'switch'>,
    argv: string[] = process.argv.slice(2),
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!;
      if (a === '--') continue; // `npx tsx bench/x.ts -- --flag`, as `npm run` passes them
      if (a === '--help' || a === '-h') {
        console.log(usage);
        process.exit(0);
      }
      if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}\n${usage}`);
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (!(name in known)) throw new Error(`unknown flag --${name}\n${usage}`);
      if (eq > 0) this.values.set(name, a.slice(eq + 1));
      else if (known[name] === 'switch') this.values.set(name, 'true');
      else {
        const v = argv[++i];
        if (v === undefined) throw new Error(`${a} needs a value\n${usage}`);
        this.values.set(name, v);
      }
    }
  }

  private raw(name: string, envName?: string): string | undefined {
    const v = this.values.get(name) ?? (envName ? this.env[envName] : undefined);
    return v === '' ? undefined : v;
  }

  /** A number (integer unless `fraction`) at least `min`, or the default when not given. */
  num(name: string, opts: { env?: string; min?: number; max?: number; fraction?: boolean }, dflt: number): number;
  num(name: string, opts: { env?: string; min?: number; max?: number; fraction?: boolean }): number | undefined;
  num(name: string, opts: { env?: string; min?: number; max?: number; fraction?: boolean }, dflt?: number): number | undefined {
    const raw = this.raw(name, opts.env);
    if (raw === undefined) return dflt;
    const n = Number(raw);
    const ok = Number.isFinite(n) && (opts.fraction || Number.isInteger(n)) && n >= (opts.min ?? 0) && n <= (opts.max ?? Infinity);
    if (!ok) throw new Error(`--${name}${opts.env ? ` (${opts.env})` : ''}: bad value ${raw}\n${this.usage}`);
    return n;
  }

  /** A switch: given, or its environment variable is 1/true. */
  bool(name: string, envName?: string): boolean {
    const raw = this.raw(name, envName);
    return raw === 'true' || raw === '1';
  }

  str(name: string, dflt: string, envName?: string): string {
    return this.raw(name, envName) ?? dflt;
  }

  /** One of `choices`, or undefined when not given. */
  choice<T extends string>(name: string, choices: readonly T[]): T | undefined {
    const raw = this.raw(name);
    if (raw === undefined) return undefined;
    if (!(choices as readonly string[]).includes(raw)) throw new Error(`--${name}: one of ${choices.join(', ')}, got ${raw}\n${this.usage}`);
    return raw as T;
  }
}
