/**
 * The read-only endpoints the web consoles need beyond the rest of the API (issue 13): the rule
 * set in force, a withdrawal preview, one order of the ambassador with its explanation, the
 * monthly statement as CSV, and the ops console's attention list, customer search and settings.
 * Registered before the withdrawal routes: /withdrawals/preview must not be read as an id.
 */
import type { Deps } from '../../../services/deps';
import type { ApiRegistry } from '../../registry';
import { ambassadorOrderRoutes } from './ambassador-orders';
import { opsConsoleRoutes } from './ops';
import { ruleSetRoutes } from './rulesets';
import { statementRoutes } from './statement';
import { withdrawalPreviewRoutes } from './withdrawal-preview';

export function consoleReadRoutes(api: ApiRegistry, deps: Deps): void {
  ruleSetRoutes(api, deps);
  withdrawalPreviewRoutes(api, deps);
  ambassadorOrderRoutes(api, deps);
  statementRoutes(api, deps);
  opsConsoleRoutes(api, deps);
}
