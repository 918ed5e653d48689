import type { ActivityDeps } from './index';

export function createWithdrawalActivities(_deps: ActivityDeps) {
  return {};
}
