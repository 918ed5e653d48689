/**
 * For migration tests: an empty database of its own, and a folder holding the migrations up to
 * `version` (migrate(sql, dir) takes the schema there; migrate(sql) takes it the rest of the way).
 * Both are made before the file's tests and removed after them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSql, type Sql } from '../../db/client';
import { listMigrations } from '../../db/migrate';

export function useDatabaseBefore(version: number, opts: { name: string; max?: number }): { sql: () => Sql; migrationsUpTo: () => string } {
  let admin: Sql | undefined;
  let sql: Sql | undefined;
  const name = `t_${opts.name}_${process.pid}_${Date.now()}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `migrations-${version}-`));
  beforeAll(async () => {
    const adminUrl = process.env.TEST_PG_ADMIN_URL;
    if (!adminUrl) throw new Error('TEST_PG_ADMIN_URL is not set: run the tests through jest');
    admin = createSql(adminUrl, { max: 1 });
    await admin.unsafe(`CREATE DATABASE ${name}`);
    const u = new URL(adminUrl);
    u.pathname = `/${name}`;
    sql = createSql(u.toString(), { max: opts.max ?? 4 });
    for (const m of listMigrations().filter((x) => x.version <= version)) fs.writeFileSync(path.join(dir, `${m.name}.sql`), m.sql);
  });
  afterAll(async () => {
    await sql?.end({ timeout: 5 });
    await admin?.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin?.end();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return { sql: () => sql!, migrationsUpTo: () => dir };
}
