// orders routes: filled in by their issue.
import type { ApiDeps } from '../app';
import type { ApiRegistry } from '../registry';

export function ordersRoutes(_api: ApiRegistry, _deps: ApiDeps): void {}
