/**
 * Dependency rules of the house, checked inside `npm test` (npm run deps). The layer table is
 * scripts/layers.cjs; the special rules below keep workflow code deterministic and the
 * production bundle free of test code.
 */
const { layers } = require('./scripts/layers.cjs');

const folders = layers.map((l) => l.folder);
const layerRules = layers.map((l) => {
  const allowed = new Set([l.folder, ...l.uses.map((u) => u.split(' ')[0])]);
  const forbidden = [...folders.filter((f) => !allowed.has(f)), 'api', 'scripts', 'bench', 'cluster', 'test', 'worker\\.ts'].filter((f) => f !== l.folder);
  return {
    name: `layer-${l.folder}`,
    comment: `${l.folder}/ may use only: ${l.uses.length ? l.uses.join(', ') : 'nothing of the project'} (scripts/layers.cjs)`,
    severity: 'error',
    from: { path: `^${l.folder}/` },
    to: { path: `^(${[...new Set(forbidden)].join('|')})(/|$)` },
  };
});

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'no module reaches itself', from: {}, to: { circular: true } },
    ...layerRules,
    {
      name: 'workflows-activity-types-only',
      comment: 'workflows use activities as types only (proxyActivities); the code runs in the worker',
      severity: 'error',
      from: { path: '^workflows/' },
      to: { path: '^activities/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'workflows-no-clients',
      comment: 'workflow code uses the contracts, never their Temporal clients',
      severity: 'error',
      from: { path: '^workflows/' },
      to: { path: '^contracts/.+/client\\.ts$' },
    },
    {
      name: 'workflow-bundle-deterministic',
      comment: 'what the workflow bundle holds (workflows, domain, the contracts but their clients) uses no Node built-in and no I/O library',
      severity: 'error',
      from: { path: '^(workflows|domain)/|^contracts/([^/]+\\.ts|[^/]+/(index|schemas)\\.ts)$' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'workflow-bundle-no-helpers',
      comment: 'the contracts (but their clients) and the domain reach no lib/ helper (they may use Node built-ins)',
      severity: 'error',
      from: { path: '^domain/|^contracts/([^/]+\\.ts|[^/]+/(index|schemas)\\.ts)$' },
      to: { path: '^(lib|db|ledger|services|config)/' },
    },
    {
      name: 'no-test-code-in-production',
      comment: 'production code (and so the workflow bundle) never imports test code',
      severity: 'error',
      from: { pathNot: '^(test|bench)/' },
      to: { path: '^test/' },
    },
    {
      name: 'api-only-from-entry-points',
      comment: 'nothing imports api/ but the entry points (scripts/, bench/, cluster/, test/) and api/ itself',
      severity: 'error',
      from: { pathNot: '^(api|scripts|bench|cluster|test)/' },
      to: { path: '^api/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|data|\\.venv|\\.cache|console/dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
