// @ts-check
import js from '@eslint/js'
import importX from 'eslint-plugin-import-x'
import reactHooks from 'eslint-plugin-react-hooks'
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const FEATURES = ['admin', 'auth', 'bookings', 'events', 'notifications', 'organizer']

/**
 * Imports flow one way, as in bulletproof-react: lib and components -> features -> app.
 * A feature never imports another feature; the app composes them.
 */
const layering = [
  ...FEATURES.map((feature) => ({
    target: `./src/features/${feature}`,
    from: './src/features',
    except: [`./${feature}`],
    message: 'A feature must not import another feature; compose them in src/app.',
  })),
  {
    target: ['./src/features', './src/components', './src/lib', './src/testing'],
    from: './src/app',
    message: 'Only src/app may import src/app.',
  },
  {
    target: ['./src/components', './src/lib'],
    from: './src/features',
    message: 'Shared code (lib, components) must not import features.',
  },
  {
    target: './src/lib',
    from: './src/components',
    message: 'lib is below components: it must not import them.',
  },
]

export default tseslint.config(
  {
    ignores: ['dist', 'dist-e2e', 'node_modules', 'src/lib/api/types', 'e2e/artifacts', 'playwright-report', 'test-results'],
  },
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: { ecmaVersion: 2023, globals: { ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks, 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.app.json' })],
    },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'import-x/no-restricted-paths': ['error', { zones: layering }],
      'import-x/no-cycle': 'error',
    },
  },
  {
    // Data comes through the typed API client in src/lib, used by feature hooks.
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/lib/**', 'src/testing/**', 'src/**/*.test.{ts,tsx}'],
    rules: {
      'no-restricted-globals': ['error', { name: 'fetch', message: 'Call the services through src/lib/api and a hook.' }],
    },
  },
  {
    files: ['e2e/**/*.ts', 'scripts/**/*.mjs', '*.config.{ts,js}'],
    languageOptions: { globals: { ...globals.node } },
  },
)
