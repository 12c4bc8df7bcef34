// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const forbiddenInWorkflows = [
  { group: ['@nestjs/*'], message: 'Workflows are framework-free: Nest lives in apps/.' },
  {
    group: ['typeorm', 'pg', 'openai', 'nodemailer', 'smtp-server', 'prom-client', 'pino', '@opentelemetry/*'],
    message: 'Workflows do no I/O: call an activity.',
  },
  { group: ['node:*'], message: 'Node builtins are not deterministic inside the workflow sandbox.' },
  {
    group: [
      '**/libs/persistence',
      '**/libs/persistence/**',
      '**/libs/integrations',
      '**/libs/integrations/**',
      '**/libs/temporal',
      '**/libs/temporal/**',
      '**/libs/config',
      '**/libs/config/**',
      '**/libs/observability',
      '**/libs/observability/**',
      '**/apps/**',
    ],
    message: 'Workflows import only libs/domain, their own files and types from activities/.',
  },
];
const nodeBuiltins = [
  'assert',
  'buffer',
  'child_process',
  'cluster',
  'crypto',
  'dgram',
  'dns',
  'events',
  'fs',
  'fs/promises',
  'http',
  'http2',
  'https',
  'net',
  'os',
  'path',
  'perf_hooks',
  'process',
  'stream',
  'timers',
  'tls',
  'url',
  'util',
  'v8',
  'vm',
  'worker_threads',
  'zlib',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.tools/**', '.data/**', 'test-output/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['workflows/**/*.ts'],
    ignores: ['workflows/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'Node builtins are not allowed in workflows.' })),
          patterns: forbiddenInWorkflows,
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'Workflows read no environment: pass it in the input.' },
        { name: 'setInterval', message: 'Use workflow timers (sleep/condition).' },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'Math',
          property: 'random',
          message: 'Math.random is replaced by the sandbox; prefer uuid4() from @temporalio/workflow.',
        },
      ],
    },
  },
  {
    files: ['activities/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@nestjs/*', 'typeorm', 'pg'],
              message: 'Activities receive ports; Nest and TypeORM stay in apps/ and libs/persistence.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['libs/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins,
          patterns: [
            {
              group: [
                '@nestjs/*',
                'typeorm',
                'pg',
                'openai',
                '@temporalio/*',
                'node:*',
                '../../../*',
                '**/apps/**',
                '**/activities/**',
                '**/workflows/**',
              ],
              message: 'libs/domain is pure: no framework, no I/O, nothing from the rest of the project.',
            },
          ],
        },
      ],
    },
  },
  // Formatting is prettier's job (checked by `prettier --check` in npm test); no lint rule argues with it.
  prettier,
);
