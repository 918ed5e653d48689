/**
 * Kept for existing imports: postEntry (ledger/index.ts) is the one implementation of posting
 * (one INSERT of the entry row with its postings), and postEntries posts many entries in one
 * statement (database function ledger_post_entries).
 */
export { postEntries, postEntry as postEntryRoundTrip } from './index';
