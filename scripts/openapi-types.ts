/**
 * The consoles' API types, generated from the OpenAPI document the route registry produces (no
 * server, no database): `node --import tsx scripts/openapi-types.ts` writes
 * console/src/api/openapi.d.ts; with `--check` it writes nothing and exits 1 when the file is
 * stale (test/console/openapi-types.test.ts runs it inside npm test).
 */
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import openapiTS, { astToString } from 'openapi-typescript';
import { buildRegistry } from '../api/app';
import { loadConfig, PROJECT_ROOT } from '../config';
import { loadRuleBook } from '../config/rules';
import type { Deps } from '../services/deps';

export const TYPES_FILE = path.join(PROJECT_ROOT, 'console', 'src', 'api', 'openapi.d.ts');

const HEADER = `/**
 * Generated from the API's OpenAPI document by scripts/openapi-types.ts (npm run openapi:types).
 * @generated Do not edit: npm test fails when this file is stale.
 */

`;

/** The registry reads nothing while routes are declared: no database or Temporal client is needed. */
export async function generatedTypes(): Promise<string> {
  const config = loadConfig({ LOG_LEVEL: 'silent' });
  const deps = { config, logger: pino({ level: 'silent' }), ruleBook: loadRuleBook(config) } as unknown as Deps;
  const doc = buildRegistry(deps).openapi({ title: 'Ambassador settlement API', version: '1.0.0' });
  const ast = await openapiTS(doc as never, { alphabetize: true });
  return HEADER + astToString(ast);
}

async function main(): Promise<void> {
  const text = await generatedTypes();
  const current = fs.existsSync(TYPES_FILE) ? fs.readFileSync(TYPES_FILE, 'utf8') : '';
  if (process.argv.includes('--check')) {
    if (current !== text) {
      console.error(`${path.relative(PROJECT_ROOT, TYPES_FILE)} is stale: run npm run openapi:types`);
      process.exit(1);
    }
    console.log(`${path.relative(PROJECT_ROOT, TYPES_FILE)} is up to date`);
    return;
  }
  fs.mkdirSync(path.dirname(TYPES_FILE), { recursive: true });
  fs.writeFileSync(TYPES_FILE, text);
  console.log(`wrote ${path.relative(PROJECT_ROOT, TYPES_FILE)}`);
}

if (require.main === module) void main();
