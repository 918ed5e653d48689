/**
 * Kept for existing imports: postEntry (ledger/index.ts) is the one implementation of posting,
 * in one round trip (database function ledger_post_entry), and postEntries posts many entries in
 * one statement (ledger_post_entries).
 */
export { postEntries, postEntry as postEntryRoundTrip } from './index';
