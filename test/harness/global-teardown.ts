/** Drops the template and test databases and stops the embedded Postgres of this run. */
import fs from 'node:fs';
import { createSql } from '../../db/client';

export default async function globalTeardown(): Promise<void> {
  const g = globalThis as Record<string, unknown>;
  const tmpl = g.__settlementTestTemplate as { adminUrl: string; template: string } | undefined;
  const pg = g.__settlementTestPg as { stop: () => Promise<void>; dir: string } | undefined;
  if (process.env.TEST_WORKFLOW_BUNDLE) fs.rmSync(process.env.TEST_WORKFLOW_BUNDLE, { force: true });
  if (pg) {
    await pg.stop();
    fs.rmSync(pg.dir, { recursive: true, force: true });
    return;
  }
  if (tmpl) {
    // An external server (DATABASE_URL): remove what this run created there.
    const admin = createSql(tmpl.adminUrl, { max: 1 });
    try {
      const suffix = tmpl.template.replace('settlement_tmpl_', '');
      const dbs = await admin<{ datname: string }[]>`
        SELECT datname FROM pg_database WHERE datname = ${tmpl.template} OR datname LIKE ${'t_' + suffix + '_%'}`;
      for (const { datname } of dbs) await admin.unsafe(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  }
}
