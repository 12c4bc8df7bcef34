// @ts-check
/**
 * The dependency rules of DESIGN.md, checked by `npm test` (dependency-cruiser). Dependencies point inward:
 *
 *   apps/*  ->  libs/{temporal,persistence,integrations,observability,config}  ->  libs/domain  <-  activities  <-(types)-  workflows
 *
 * and each library is entered through its entry file at the library root, never through its `src/`.
 */
const LIBS = ['domain', 'persistence', 'integrations', 'temporal', 'config', 'observability'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'libs/domain is pure: nothing from the rest of the project, no framework, no I/O.',
      severity: 'error',
      from: { path: '^libs/domain/' },
      to: {
        pathNot: ['^libs/domain/', '^node_modules/(luxon|fast-check|fastest-levenshtein)/'],
        dependencyTypesNot: ['core'],
      },
    },
    {
      name: 'domain-no-node-builtins',
      severity: 'error',
      from: { path: '^libs/domain/', pathNot: '\\.spec\\.ts$' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'workflows-are-deterministic',
      comment:
        'Workflows import only @temporalio/workflow (and common), libs/domain, their own files, and types from activities.',
      severity: 'error',
      from: { path: '^workflows/' },
      to: {
        pathNot: [
          '^workflows/',
          '^libs/domain/',
          '^node_modules/@temporalio/(workflow|common)/',
          '^node_modules/luxon/',
          '^activities/',
        ],
      },
    },
    {
      name: 'workflows-use-activities-by-type-only',
      severity: 'error',
      from: { path: '^workflows/' },
      to: { path: '^activities/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'activities-receive-ports',
      comment: 'Activities get ports from libs/domain; Nest, TypeORM, pg and the adapters stay outside.',
      severity: 'error',
      from: { path: '^activities/', pathNot: '\\.spec\\.ts$' },
      to: {
        path: [
          '^apps/',
          '^libs/(persistence|integrations|temporal|config|observability)/',
          '^node_modules/(@nestjs|typeorm|pg)/',
        ],
      },
    },
    {
      name: 'libs-never-import-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'adapters-do-not-know-each-other',
      comment:
        'persistence, integrations and observability depend only inward (domain, config); temporal may use the workflow contracts.',
      severity: 'error',
      from: { path: '^libs/(persistence|integrations|config|observability)/' },
      to: {
        path: ['^libs/(temporal|persistence|integrations|observability)/', '^workflows/', '^activities/'],
        pathNot: '^libs/$1/',
      },
    },
    {
      name: 'only-persistence-talks-to-postgres',
      severity: 'error',
      from: { pathNot: ['^libs/persistence/', '^test/', '^bench/', '^scripts/'] },
      to: { path: '^node_modules/(typeorm|pg)/' },
    },
    {
      name: 'only-libs-temporal-holds-the-client',
      severity: 'error',
      from: { pathNot: ['^libs/temporal/', '^test/', '^bench/', '^scripts/'] },
      to: { path: '^node_modules/@temporalio/client/' },
    },
    {
      name: 'apps-do-not-import-each-other',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'enter-libraries-through-their-entry',
      comment: "Another library's src/ is its own business: import libs/<name> (or a named entry file at its root).",
      severity: 'error',
      from: { path: '^(?!libs/(' + LIBS.join('|') + ')/)' },
      to: { path: '^libs/(' + LIBS.join('|') + ')/src/' },
    },
    {
      name: 'libraries-enter-each-other-through-entries',
      severity: 'error',
      from: { path: '^libs/([^/]+)/' },
      to: { path: '^libs/([^/]+)/src/', pathNot: '^libs/$1/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { path: '^(apps|libs|workflows|activities)/' },
      // A cycle of type-only imports costs nothing at run time; a cycle of values is a load-order trap.
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^dist/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
