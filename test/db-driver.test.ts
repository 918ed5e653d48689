/**
 * The Postgres driver survives a connection that dies under it. postgres 3.4.9 throws from a
 * setImmediate callback when a write is flushed after its socket closed (porsager/postgres#1208):
 * no caller can catch it, and the process dies. In test:cluster that took both app workers down
 * when Postgres crashed, and every order stopped until they were started again. The patch in
 * patches/ (applied by patch-package on install) makes that write reject as CONNECTION_CLOSED.
 * Run in a child process, so that the crash, if it comes back, fails this test and not jest.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const script = `
const postgres = require('postgres');
(async () => {
  const url = process.env.URL;
  const sql = postgres(url, { max: 2 });
  const killer = postgres(url, { max: 1 });
  const held = await sql.reserve();
  const [{ pid }] = await held\`SELECT pg_backend_pid() AS pid\`;
  await killer\`SELECT pg_terminate_backend(\${pid})\`;
  // Once the server process is gone and its close has reached this side, the next write finds no socket.
  while ((await killer\`SELECT 1 FROM pg_stat_activity WHERE pid = \${pid}\`).length) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 200));
  const answers = [];
  for (let i = 0; i < 2; i++) answers.push(await held\`SELECT 1\`.then(() => 'answered', (e) => e.code));
  held.release();
  let after = 'none';
  for (let i = 0; i < 4 && after !== 1; i++) after = await sql\`SELECT 1 AS x\`.then((r) => r[0].x, (e) => e.code);
  console.log(JSON.stringify({ answers, after }));
  process.exit(0);
})();
`;

test('a query on a connection whose server process was terminated is rejected (CONNECTION_CLOSED), the process lives on, and the pool answers again', () => {
  const url = process.env.TEST_PG_ADMIN_URL;
  if (!url) throw new Error('TEST_PG_ADMIN_URL is not set: run the tests through jest');
  const run = spawnSync(process.execPath, ['-e', script], { cwd: path.join(__dirname, '..'), env: { ...process.env, URL: url }, encoding: 'utf8', timeout: 30_000 });
  expect(run.stderr).not.toMatch(/TypeError/);
  expect(run.status).toBe(0);
  expect(JSON.parse(run.stdout.trim().split('\n').pop()!)).toEqual({ answers: ['CONNECTION_CLOSED', 'CONNECTION_CLOSED'], after: 1 });
});
