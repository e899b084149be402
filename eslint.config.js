import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/** What the pure core may not import: I/O, the database, HTTP, documents and every layer above it. */
const CORE_FORBIDDEN = {
  paths: ['fs', 'fs/promises', 'child_process', 'http', 'https', 'net', 'worker_threads'].map((name) => ({
    name,
    message: 'src/core is pure: no I/O (read files in a service and pass the data in).',
  })),
  patterns: [
    { group: ['node:*'], message: 'src/core is pure: no Node I/O modules (node:crypto only through a service).' },
    {
      group: ['pg', 'kysely', 'kysely-*', '@electric-sql/*', 'fastify', '@fastify/*', 'exceljs', 'docx', 'nodemailer',
        'playwright-core', 'echarts', '@resvg/*', '@node-rs/*', 'qrcode', 'iconv-lite', 'csv-parse', 'csv-parse/*'],
      message: 'src/core is pure: database, HTTP, documents and file formats belong to services and reports.',
    },
    {
      group: ['**/services/**', '**/db/**', '**/http/**', '**/reports/**', '**/cli/**'],
      message: 'src/core depends on nothing outside src/core.',
    },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules', 'web/dist', 'data', 'coverage', 'docs/**/*.json', 'tmp'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', CORE_FORBIDDEN] },
  },
);
