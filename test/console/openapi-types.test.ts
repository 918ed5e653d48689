/** The consoles' API types are generated from the OpenAPI document the registry produces: the
 * committed file must be what the generator writes now (npm run openapi:types), so a route change
 * that the pages do not follow fails here and in the console's type check. */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../../config';

test('console/src/api/openapi.d.ts is not stale', () => {
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'scripts', 'openapi-types.ts'), '--check'], { cwd: PROJECT_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  expect(out).toContain('is up to date');
});
