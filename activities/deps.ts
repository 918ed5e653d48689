/** What activities are built from: the services' dependencies and the payout provider. */
import type { PayoutProvider } from '../payouts/provider';
import type { Deps } from '../services/deps';

export interface ActivityDeps extends Deps {
  /** Where withdrawals are paid out; default: the LocalPayoutProvider over `sql`. */
  payoutProvider?: PayoutProvider;
}
