/** GET /v1/ambassadors/me/statements/{month}: the month's journal entries as CSV (text/csv). */
import { z } from 'zod';
import type { Deps } from '../../../services/deps';
import { monthStatementCsv } from '../../../services/console/statement';
import type { AuthedAmbassador } from '../../auth';
import type { ApiRegistry } from '../../registry';

export function statementRoutes(api: ApiRegistry, deps: Deps): void {
  api.add({
    method: 'get',
    path: '/v1/ambassadors/me/statements/:month',
    summary: "The month's statement (UTC+8 calendar month) as CSV: each journal entry with the movement on pending, available, reserved, paid out and the tax withheld, in CNY",
    tags: ['ledger'],
    auth: 'ambassador',
    params: z.object({ month: z.string().regex(/^(19|20)\d\d-(0[1-9]|1[0-2])$/, 'a month like 2024-06').describe('YYYY-MM, UTC+8') }),
    responses: { 200: { description: 'text/csv; one header line, then one line per entry, oldest first' } },
    handler: async ({ params }, _req, res) => {
      const amb = res.locals.ambassador as AuthedAmbassador;
      const csv = await monthStatementCsv(deps, amb.id, params.month);
      res
        .status(200)
        .type('text/csv; charset=utf-8')
        .setHeader('Content-Disposition', `attachment; filename="statement-${params.month}.csv"`)
        .send(csv);
    },
  });
}
