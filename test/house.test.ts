/**
 * The house: the dependency rules hold on the tree and can fail (each rule is shown to catch a
 * violation in a small tree of its own), source files stay small, and the README's layout table
 * is the layer table of scripts/layers.cjs.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../config';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { layoutMarkdown } = require('../scripts/layers.cjs') as { layoutMarkdown: () => string };

const depcruise = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'depcruise');
const config = path.join(PROJECT_ROOT, '.dependency-cruiser.cjs');

function cruise(cwd: string, targets: string[]): { status: number | null; out: string } {
  const r = spawnSync(depcruise, ['--config', config, '--output-type', 'err', ...targets], { cwd, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

test('the tree keeps the dependency rules', () => {
  const folders = fs.readdirSync(PROJECT_ROOT).filter((f) => ['activities', 'api', 'bench', 'cluster', 'config', 'console', 'contracts', 'db', 'domain', 'ledger', 'lib', 'payouts', 'scripts', 'services', 'test', 'workflows'].includes(f));
  const r = cruise(PROJECT_ROOT, ['worker.ts', ...folders]);
  expect(r.out).toMatch(/no dependency violations/);
  expect(r.status).toBe(0);
});

test('each dependency rule catches a violation', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'house-'));
  const files: Record<string, string> = {
    'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'commonjs', moduleResolution: 'node', strict: true } }),
    'domain/rules.ts': "import { sql } from '../db/client';\nexport const rules = sql;\n",
    'db/client.ts': "export const sql = 1;\n",
    'workflows/order.ts': "import fs from 'node:fs';\nimport { run } from '../activities/order';\nimport { place } from '../contracts/orders/client';\nimport { probe } from '../test/probe';\nexport const w = [fs, run, place, probe];\n",
    'activities/order.ts': "import { app } from '../api/app';\nexport const run = app;\n",
    'api/app.ts': "export const app = 1;\n",
    'contracts/orders/client.ts': "export const place = 1;\n",
    'contracts/orders/index.ts': "import { hash } from '../../lib/hash';\nexport const h = hash;\n",
    'lib/hash.ts': "export const hash = 1;\n",
    'test/probe.ts': "export const probe = 1;\n",
    'services/a.ts': "import { b } from './b';\nexport const a = b;\n",
    'services/b.ts': "import { a } from './a';\nexport const b = a;\n",
  };
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
  const r = cruise(dir, ['domain', 'db', 'workflows', 'activities', 'api', 'contracts', 'lib', 'test', 'services']);
  expect(r.status).not.toBe(0);
  for (const rule of [
    'no-circular',
    'layer-domain',
    'layer-activities',
    'workflows-activity-types-only',
    'workflows-no-clients',
    'workflow-bundle-deterministic',
    'workflow-bundle-no-helpers',
    'no-test-code-in-production',
    'api-only-from-entry-points',
  ]) {
    expect([rule, r.out.includes(rule)]).toEqual([rule, true]);
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

test('no source file outside test/ and the migrations (nor a generated one) is above 400 lines', () => {
  const files = execFileSync('git', ['ls-files', '*.ts', '*.tsx', '*.cjs', '*.mjs', '*.sh'], { cwd: PROJECT_ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f && !f.startsWith('test/') && fs.existsSync(path.join(PROJECT_ROOT, f)))
    .filter((f) => !fs.readFileSync(path.join(PROJECT_ROOT, f), 'utf8').slice(0, 400).includes('@generated'));
  const long = files
    .map((f) => ({ f, lines: fs.readFileSync(path.join(PROJECT_ROOT, f), 'utf8').split('\n').length }))
    .filter((x) => x.lines > 400);
  expect(long).toEqual([]);
});

test("the README's layout table is the layer table the dependency rules are made from", () => {
  expect(fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8')).toContain(layoutMarkdown());
});
