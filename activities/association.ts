import type { ActivityDeps } from './index';

export function createAssociationActivities(_deps: ActivityDeps) {
  return {};
}
