import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// The layers (DESIGN §2, README "Layers"): machines, domain ← engine ← scenario, store ← the shells (server,
// cli, web). Each folder may import only the folders listed for it, all earlier than itself; the rest of
// src/ is placed here:
// - diagram: the machine picture, beside the engine (pure, also runs in the browser): domain and machines.
// - io: file and terminal helpers (bundled files, JSON with positions, text wrapping and tables, worker
//   entry points): only the domain's shapes; scenario and later use it, domain, machines and engine never.
// - sim: the volume simulator, beside scenario and just before it: the exercise generator draws from the
//   simulator's mix (its prng and parameters), the simulator never uses an exercise.
// - api: the server↔web contract (types only): server and web import it; it re-exports the engine's
//   inspector shapes.
// tests/layers.test.ts reads this table and checks every import against it (naming each offender), and that there
// is no import cycle, which a per-file lint rule cannot see.
export const MAY_IMPORT = {
  domain: [],
  machines: ['domain'],
  engine: ['domain', 'machines'],
  diagram: ['domain', 'machines'],
  io: ['domain'],
  sim: ['domain', 'machines', 'engine', 'io'],
  scenario: ['domain', 'machines', 'engine', 'io', 'sim'],
  store: ['domain', 'engine', 'io'],
  api: ['domain', 'engine'],
  server: ['domain', 'machines', 'engine', 'diagram', 'io', 'sim', 'scenario', 'store', 'api'],
  cli: ['domain', 'machines', 'engine', 'diagram', 'io', 'sim', 'scenario', 'store', 'server'],
  web: ['domain', 'api'],
};
const NO_IO = ['node:*', 'fs', 'path'];
/** The import patterns of the folders `layer` may not import (a later layer, or one beside it). */
const notImportable = (layer) => Object.keys(MAY_IMPORT).filter((other) => other !== layer && !MAY_IMPORT[layer].includes(other)).map((other) => `**/${other}/**`);
const allowedWords = (layer) => (MAY_IMPORT[layer].length === 0 ? 'no other layer' : `only ${MAY_IMPORT[layer].join(', ')}`);
const ONE_WAY = 'the layers point one way, see MAY_IMPORT in eslint.config.js';
/** no-restricted-imports for one layer: its later layers, and node: modules when it is pure. */
function layerImports(layer, { pure = null } = {}) {
  const patterns = [{ group: notImportable(layer), message: `${layer} imports ${allowedWords(layer)}: ${ONE_WAY}.` }];
  if (pure !== null) patterns.unshift({ group: NO_IO, message: pure });
  return { files: [layer === 'machines' ? 'machines/**' : `src/${layer}/**`], rules: { 'no-restricted-imports': ['error', { patterns }] } };
}
const PURE = 'domain, machines and engine are pure: no I/O.';

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
    // The stores answer with promises (a PostgreSQL store cannot answer at once): one not awaited, or tested
    // as if it were its value (`if (store.unassign(...))`), is a bug the types alone do not show.
    files: ['src/**/*.ts', 'tests/**/*.ts', 'bench/**/*.ts'],
    ignores: ['src/web/**', 'tests/browser/**'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // Express 5 answers a rejected async handler with the error handler, so handlers may return promises.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  // Each layer imports only earlier ones (the web app and the diagram have their own blocks below).
  layerImports('domain', { pure: PURE }),
  layerImports('machines', { pure: PURE }),
  layerImports('engine', { pure: PURE }),
  layerImports('io'),
  layerImports('sim'),
  layerImports('scenario'),
  layerImports('store'),
  layerImports('api'),
  layerImports('server'),
  layerImports('cli'),
  {
    // The browser app: browser globals, and wall-clock UI timers (reconnects, debounces) are fine here.
    files: ['src/web/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-syntax': 'off',
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', ...notImportable('web')], message: 'the web app runs in the browser: it talks to the server over HTTP only (its own code and the src/api contract types).' }] }],
    },
  },
  {
    // The machine picture sits beside the engine: machines and domain only, no node: modules, so the
    // browser inspector runs the same code. elkjs is loaded lazily inside layout.ts.
    files: ['src/diagram/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: [...NO_IO, ...notImportable('diagram')], message: 'src/diagram is pure and runs in the browser: no node: modules and no later layer.' }] }],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.name='setTimeout']", message: 'Pure code does not schedule.' },
        { selector: "MemberExpression[object.name='Date'][property.name='now']", message: 'Pure code takes time as data, never the wall clock.' },
        { selector: "MemberExpression[object.name='Math'][property.name='random']", message: 'Pure code is deterministic.' },
      ],
    },
  },
);
