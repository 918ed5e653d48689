/**
 * Once per `jest` run: start a real Postgres (DATABASE_URL's server, or an embedded one in a
 * throwaway folder), build a migrated template database that each test file clones, and bundle
 * the workflow code once. Values reach the test workers through the environment.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { bundleWorkflowCode } from '@temporalio/worker';
import { createSql } from '../../db/client';
import { migrate } from '../../db/migrate';
import { startEmbeddedPostgres } from '../../db/embedded';
import { PROJECT_ROOT } from '../../config';
import { freePort } from './ports';

export default async function globalSetup(): Promise<void> {
  const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'settlement-test-pg-'));
    fs.chmodSync(dir, 0o755);
    const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pgdata'), port: await freePort(), unsafeFast: true });
    adminUrl = pg.url('postgres');
    (globalThis as Record<string, unknown>).__settlementTestPg = { stop: pg.stop, dir };
  }
  const template = `settlement_tmpl_${runId}`;
  const admin = createSql(adminUrl, { max: 1 });
  try {
    await admin.unsafe(`CREATE DATABASE ${template}`);
  } finally {
    await admin.end();
  }
  const tmplUrl = new URL(adminUrl);
  tmplUrl.pathname = `/${template}`;
  const tsql = createSql(tmplUrl.toString(), { max: 1 });
  try {
    await migrate(tsql);
  } finally {
    await tsql.end();
  }
  (globalThis as Record<string, unknown>).__settlementTestTemplate = { adminUrl, template };

  const { code } = await bundleWorkflowCode({
    workflowsPath: path.join(PROJECT_ROOT, 'test', 'fixtures', 'test-workflows.ts'),
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never,
  });
  const bundleDir = path.join(PROJECT_ROOT, '.cache');
  fs.mkdirSync(bundleDir, { recursive: true });
  const bundlePath = path.join(bundleDir, `workflow-bundle-${runId}.js`);
  fs.writeFileSync(bundlePath, code);

  process.env.TEST_PG_ADMIN_URL = adminUrl;
  process.env.TEST_PG_TEMPLATE = template;
  process.env.TEST_WORKFLOW_BUNDLE = bundlePath;
}
