/** Postgres connections (the porsager client). int8 columns come back as safe JS integers. */
import postgres from 'postgres';

export type Sql = postgres.Sql<Record<string, never>>;

function parseInt8(x: string): number {
  const n = Number(x);
  if (!Number.isSafeInteger(n)) throw new Error(`int8 value ${x} is outside the safe integer range`);
  return n;
}

export function createSql(url: string, options: { max?: number; onnotice?: (n: unknown) => void } = {}): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    onnotice: options.onnotice ?? (() => undefined),
    types: {
      int8: { to: 20, from: [20], serialize: (x: number) => String(x), parse: parseInt8 },
    },
    connection: { application_name: 'ambassador-settlement' },
  }) as unknown as Sql;
}
