/**
 * Schemathesis (pinned, from PyPI into .venv by scripts/ensure-tools.sh) over the whole OpenAPI
 * document of the real app, on a free port, against this file's Postgres and Temporal: every
 * operation with the service, ops and ambassador tokens and a signed customer assertion. Any
 * server error, or any answer whose status, content type or body the document does not describe,
 * fails the test. SCHEMATHESIS_MAX_EXAMPLES (default 25) sets how many cases per operation.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import { PROJECT_ROOT } from '../config';
import type { TestContext } from './harness/context';
import { useHarness } from './harness/use-harness';
import type { Harness } from './harness/association-fixtures';
import { DAY, associatedCustomer, orderMessage, placed, settled } from './harness/order-fixtures';
import { signCustomerAssertion } from '../lib/tokens';

jest.setTimeout(600_000);

let ctx: TestContext;
let h: Harness;

useHarness((x) => ({ ctx, h } = x), { env: { CUSTOMER_ASSERTION_MAX_TTL_SECONDS: '86400', RATE_LIMIT_PER_MINUTE: '600' } });

const ST = path.join(PROJECT_ROOT, '.venv', 'bin', 'st');
const CHECKS = ['not_a_server_error', 'status_code_conformance', 'content_type_conformance', 'response_schema_conformance', 'response_headers_conformance'];

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

test('schemathesis over the whole OpenAPI document: no server error, no status, content-type, header or schema violation', async () => {
  expect(fs.existsSync(ST)).toBe(true);
  // Real data to find: an ambassador with a settled order (so withdrawals can succeed), its customer.
  const { amb, customerId } = await associatedCustomer(h, { clickAt: h.clock.now() - DAY });
  const order = await placed(h, orderMessage(customerId, { placedAt: new Date(h.clock.now() - DAY / 2).toISOString(), paidAmount: '20000.00' }));
  expect((await settled(ctx, order.orderId)).state).toBe('completed');
  await h.clock.sync();
  const server = await new Promise<Server>((resolve) => {
    const s = h.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as { port: number };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schemathesis-'));
  // The document as served, less its catch-all `default` answers: every status a route gives must
  // be one it documents.
  const doc = (await (await fetch(`http://127.0.0.1:${port}/openapi.json`)).json()) as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
  for (const item of Object.values(doc.paths)) for (const op of Object.values(item)) delete op.responses.default;
  fs.writeFileSync(path.join(dir, 'openapi.json'), JSON.stringify(doc));
  fs.writeFileSync(
    path.join(dir, 'schemathesis.toml'),
    [
      '[auth.openapi.serviceToken]',
      'bearer = "${SERVICE_TOKEN}"',
      '[auth.openapi.opsToken]',
      'bearer = "${OPS_TOKEN}"',
      '[auth.openapi.ambassadorToken]',
      'bearer = "${AMBASSADOR_TOKEN}"',
      '[auth.openapi.customerAssertion]',
      'api_key = "${CUSTOMER_ASSERTION}"',
      '',
    ].join('\n'),
  );
  try {
    const out = await run(
      ST,
      [
        'run', path.join(dir, 'openapi.json'),
        '--url', `http://127.0.0.1:${port}`,
        '--checks', CHECKS.join(','),
        '--max-examples', process.env.SCHEMATHESIS_MAX_EXAMPLES ?? '25',
        '--phases', 'examples,coverage,fuzzing',
        '--seed', process.env.SCHEMATHESIS_SEED ?? '1',
        '--workers', '1', // hypothesis builds strategies in threads; CPython 3.11 can fail that (SystemError in ast.parse)
        '--request-timeout', '20',
        '--no-color',
        '--output-truncate', 'true',
        '--generation-database', 'none',
      ],
      {
        ...process.env,
        SERVICE_TOKEN: ctx.config.SERVICE_TOKEN,
        OPS_TOKEN: ctx.config.OPS_TOKEN,
        AMBASSADOR_TOKEN: amb.token,
        CUSTOMER_ASSERTION: signCustomerAssertion(ctx.config.CUSTOMER_ASSERTION_SECRET, 'schemathesis-customer', h.clock.now() + 3600_000),
      },
      dir,
    );
    if (out.code !== 0) console.log(out.output.slice(-20_000));
    expect(out.code).toBe(0);
  } finally {
    await new Promise((r) => server.close(r));
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
