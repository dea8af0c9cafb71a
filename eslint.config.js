// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Architectural boundaries from DEVELOPERS.md: one place reads the environment, one place calls model providers. */
const envRule = {
  selector: "MemberExpression[object.name='process'][property.name='env']",
  message: 'Read configuration through src/platform/config only.',
};
const providerImports = {
  patterns: [
    {
      group: ['ai', '@ai-sdk/*', 'openai'],
      message: 'Only src/platform/llm may call model providers.',
    },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'web/dist', '.kura', 'test-artifacts', 'coverage', 'scratch'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/platform/config/**'],
    rules: { 'no-restricted-syntax': ['error', envRule] },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/platform/llm/**'],
    rules: { 'no-restricted-imports': ['error', providerImports] },
  },
  {
    // The web console runs in the browser and talks to the server only through its HTTP API.
    files: ['web/src/**/*.ts', 'web/src/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/src/*', 'node:*'],
              message: 'The console runs in the browser: use the HTTP API (web/src/api).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
