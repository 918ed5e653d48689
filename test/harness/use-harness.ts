/**
 * The per-file setup most test files share: before all tests, a test context (a database of its
 * own, a Temporal server and a worker; test/harness/context.ts) and a harness over it (the API,
 * the test clock); after all tests, both closed. `ready` receives them, e.g.
 *
 *   let ctx: TestContext;
 *   let h: Harness;
 *   useHarness((x) => ({ ctx, h } = x), { ledgerSound: true });
 */
import type { Express } from 'express';
import { createTestApp, createTestContext, type TestContext, type TestWorkerOptions } from './context';
import { createHarness, type Harness } from './association-fixtures';
import { expectLedgerSound } from './ledger-fixtures';
import type { Config } from '../../config';

export interface UseHarnessOptions extends TestWorkerOptions {
  /** Config settings for this file's worker and API. */
  env?: Partial<Record<keyof Config, string>>;
  /** After every test, fail it when the ledger is not sound (cached balances, entry rules). */
  ledgerSound?: boolean;
}

/** Registers the hooks: the context before all tests (then `onReady`), closed after all. */
function useContext(options: UseHarnessOptions, onReady: (ctx: TestContext) => Promise<void>): void {
  const { env = {}, ledgerSound = false, ...workerOptions } = options;
  let ctx: TestContext | undefined;
  beforeAll(async () => {
    ctx = await createTestContext(env, workerOptions);
    await onReady(ctx);
  });
  afterAll(async () => {
    await ctx?.close();
  });
  if (ledgerSound) {
    afterEach(async () => {
      if (ctx) await expectLedgerSound(ctx.sql);
    });
  }
}

export function useHarness(ready: (x: { ctx: TestContext; h: Harness }) => void, options: UseHarnessOptions = {}): void {
  useContext(options, async (ctx) => ready({ ctx, h: await createHarness(ctx) }));
}

/** The same hooks with the HTTP app alone, on the real clock (no test clock, no harness). */
export function useTestApp(ready: (x: { ctx: TestContext; app: Express }) => void, options: UseHarnessOptions = {}): void {
  useContext(options, async (ctx) => ready({ ctx, app: await createTestApp(ctx) }));
}
