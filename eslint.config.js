import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-syntax': ['error', { selector: "CallExpression[callee.name='setTimeout'][arguments.length>0]", message: 'Time is simulated: schedule on the engine clock, not setTimeout.' }],
    },
  },
  {
    files: ['src/domain/**', 'machines/**', 'src/engine/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', 'fs', 'path', '**/cli/**', '**/server/**', '**/store/**', '**/web/**', '**/scenario/**', '**/io/**'], message: 'domain, machines and engine are pure: no I/O and no later layer.' }] }],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.name='setTimeout']", message: 'Time is simulated: schedule on the engine clock, not setTimeout.' },
        { selector: "MemberExpression[object.name='Date'][property.name='now']", message: 'Pure code takes time as data (the simulated clock), never the wall clock.' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Pure code takes time as data (the simulated clock), never the wall clock.' },
        { selector: "MemberExpression[object.name='Math'][property.name='random']", message: 'Pure code is deterministic: take a seed.' },
      ],
    },
  },
  {
    // The browser app: browser globals, and wall-clock UI timers (reconnects, debounces) are fine here.
    files: ['src/web/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-syntax': 'off',
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', '**/server/**', '**/store/**', '**/cli/**', '**/io/**'], message: 'the web app runs in the browser: it talks to the server over HTTP only.' }] }],
    },
  },
  {
    // The machine picture sits beside the engine: machines and domain only, no node: modules, so the
    // browser inspector runs the same code. elkjs is loaded lazily inside layout.ts.
    files: ['src/diagram/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', 'fs', 'path', '**/engine/**', '**/cli/**', '**/server/**', '**/store/**', '**/web/**', '**/scenario/**', '**/io/**', '**/sim/**'], message: 'src/diagram is pure and runs in the browser: no node: modules and no later layer.' }] }],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.name='setTimeout']", message: 'Pure code does not schedule.' },
        { selector: "MemberExpression[object.name='Date'][property.name='now']", message: 'Pure code takes time as data, never the wall clock.' },
        { selector: "MemberExpression[object.name='Math'][property.name='random']", message: 'Pure code is deterministic.' },
      ],
    },
  },
);
