/**
 * Referral associations (关联), issue 4: ambassadors (R-AMB-*), customers and identity
 * (R-SAME-1), clicks and the customer association workflows (R-ATTR-*).
 */
import type { ApiDeps } from '../app';
import type { ApiRegistry } from '../registry';
import { ambassadorsRoutes } from './ambassadors';
import { clicksRoutes } from './clicks';
import { customersRoutes } from './customers';

export function associationsRoutes(api: ApiRegistry, deps: ApiDeps): void {
  ambassadorsRoutes(api, deps);
  customersRoutes(api, deps);
  clicksRoutes(api, deps);
}
