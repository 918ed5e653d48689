import type { ActivityDeps } from './index';

export function createOrderActivities(_deps: ActivityDeps) {
  return {};
}
