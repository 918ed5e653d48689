/**
 * The layers of the house: each top-level folder, what it holds, and which folders it may use.
 * .dependency-cruiser.cjs turns this table into rules (checked inside `npm test`), and the
 * README's layout section is drawn from it (test/readme.test.ts keeps the two equal).
 * Entry points (worker.ts, scripts/, bench/, test/) may use any folder; nothing else uses them.
 */
const layers = [
  { folder: 'domain', holds: "the program's rules as pure code: versioned rule sets, classification, commission, crediting, tax, refusals, identity rules, the association state machine. No I/O, no Temporal.", uses: [] },
  { folder: 'lib', holds: 'small generic helpers: canonical hashing, tokens, ports, child processes, logging', uses: [] },
  { folder: 'config', holds: 'the typed settings (every variable validated at start), binary lookup, rule book loading', uses: ['domain', 'lib'] },
  { folder: 'contracts', holds: "one contract per area (associations, orders, withdrawals): workflow IDs (the ID grammar), signals, updates, queries, message schemas, failure types; each area's typed Temporal client in its client.ts", uses: ['domain', 'lib'] },
  { folder: 'db', holds: 'the Postgres client, the embedded server, migrations, and repositories/: the SQL, one module per table group', uses: ['domain', 'contracts', 'lib', 'config'] },
  { folder: 'ledger', holds: 'the append-only double-entry yunqi ledger: posting, balances, locks, statements, invariants', uses: ['db', 'domain', 'lib'] },
  { folder: 'payouts', holds: 'the payout-provider interface and the local provider', uses: ['db', 'domain', 'lib'] },
  { folder: 'services', holds: 'what the API and the activities do, one module per area: program operations that need I/O, built from repositories, the ledger and the domain', uses: ['domain', 'contracts', 'db', 'ledger', 'payouts', 'lib', 'config'] },
  { folder: 'activities', holds: 'Temporal activities, one module per area, thin over services; each idempotent', uses: ['services', 'domain', 'contracts', 'db', 'ledger', 'payouts', 'lib', 'config'] },
  { folder: 'workflows', holds: 'Temporal workflows, one module per area: deterministic orchestration only (activity types, no clients)', uses: ['domain', 'contracts', 'activities (types only)'] },
  { folder: 'api', holds: 'the express HTTP edge: routes declared once with zod (validation and OpenAPI); a route parses, authenticates, calls one service function and maps the answer', uses: ['services', 'domain', 'contracts', 'db', 'ledger', 'lib', 'config'] },
];

const entryPoints = [
  { folder: 'worker.ts', holds: 'the worker; `node --import tsx worker.ts` runs one alone (to scale out)' },
  { folder: 'scripts', holds: '`start.ts` (`npm start`), `ensure-tools.sh` (installs what is missing), this layer table' },
  { folder: 'cluster', holds: '`npm run start:cluster`: the Temporal services, their Postgres databases and the app as separate processes; the values shared with `docker-compose.yml`' },
  { folder: 'bench', holds: 'benchmarks that print their figures beside their goals' },
  { folder: 'test', holds: 'jest tests through real Temporal and real Postgres; `test/harness/` sets them up' },
];

/** The README's layout table. */
function layoutMarkdown() {
  const rows = [
    '| folder | what it holds | may use |',
    '| --- | --- | --- |',
    ...layers.map((l) => `| \`${l.folder}/\` | ${l.holds} | ${l.uses.length ? l.uses.map((u) => u.replace(/^(\w+)/, '`$1/`')).join(', ') : 'nothing of the project'} |`),
    ...entryPoints.map((e) => `| \`${e.folder}${e.folder.endsWith('.ts') ? '' : '/'}\` | ${e.holds} | anything (an entry point) |`),
  ];
  return rows.join('\n');
}

module.exports = { layers, entryPoints, layoutMarkdown };
