// withdrawals routes: filled in by their issue.
import type { ApiDeps } from '../app';
import type { ApiRegistry } from '../registry';

export function withdrawalsRoutes(_api: ApiRegistry, _deps: ApiDeps): void {}
