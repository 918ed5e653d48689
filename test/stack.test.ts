import { createTestContext, type TestContext } from './harness/context';
import { durableTimerProbe } from './fixtures/probe-workflow';

const DAY = 24 * 60 * 60 * 1000;
let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

test('a workflow sleeping 60 days completes in seconds under time skipping', async () => {
  const before = await ctx.testEnv.currentTimeMs();
  const wallStart = Date.now();
  const result = await ctx.client.workflow.execute(durableTimerProbe, {
    args: [60 * DAY],
    taskQueue: ctx.config.TEMPORAL_TASK_QUEUE,
    workflowId: 'probe-60-days',
  });
  const after = await ctx.testEnv.currentTimeMs();
  expect(result.endedAt - result.startedAt).toBeGreaterThanOrEqual(60 * DAY);
  expect(after - before).toBeGreaterThanOrEqual(60 * DAY);
  expect(Date.now() - wallStart).toBeLessThan(30_000);
});

test('migrations are applied and a query runs on real Postgres', async () => {
  const rows = await ctx.sql<{ name: string }[]>`SELECT name FROM schema_migrations ORDER BY version`;
  expect(rows.map((r) => r.name)).toEqual(expect.arrayContaining(['001_core', '002_ledger']));
  const [v] = await ctx.sql<{ server_version_num: string }[]>`SHOW server_version_num`;
  expect(Number(v?.server_version_num)).toBeGreaterThanOrEqual(150000);
});
