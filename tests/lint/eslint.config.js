// eslint.config.js - the lint of the web app (web/*.js, browser ES modules) and of the node
// scripts that test and lint it, run by run.sh (ctest web_lint) from the source tree's root.
// Rules that catch mistakes: an undefined name (browser globals only in web/), an unused
// variable or import, a duplicate key, unreachable code, == where === was meant, innerHTML;
// and the format the files already share (2-space indent, semicolons, single quotes, spacing),
// so a diff shows changes, not reformatting.
import js from '@eslint/js';
import globals from 'globals';

const rules = {
  ...js.configs.recommended.rules,
  'no-unused-vars': ['error', { args: 'none', caughtErrors: 'none' }],
  eqeqeq: ['error', 'always', { null: 'ignore' }],
  'no-var': 'error',
  'prefer-const': 'error',
  'no-implicit-globals': 'error',
  'no-restricted-syntax': ['error', {
    selector: "MemberExpression[property.name='innerHTML'], MemberExpression[property.name='outerHTML']",
    message: 'No innerHTML: build nodes with h()/svg() so API and user strings stay text.',
  }],
  // format
  indent: ['error', 2, { SwitchCase: 1 }],
  semi: ['error', 'always'],
  quotes: ['error', 'single', { avoidEscape: true, allowTemplateLiterals: true }],
  'comma-dangle': ['error', 'always-multiline'],
  'comma-spacing': 'error',
  'object-curly-spacing': ['error', 'always'],
  'keyword-spacing': 'error',
  'space-infix-ops': 'error',
  'brace-style': ['error', '1tbs', { allowSingleLine: true }],
  'no-trailing-spaces': 'error',
  'no-tabs': 'error',
  'no-multiple-empty-lines': ['error', { max: 1 }],
  'eol-last': 'error',
};

export default [
  {
    files: ['web/**/*.js'],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: { ...globals.browser },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules,
  },
  {
    files: ['tests/browser/*.mjs', 'tests/lint/*.mjs', 'tests/lint/*.js'],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: { ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules,
  },
  {
    // the example profiles are JSON documents pasted as object literals
    files: ['web/examples.js'],
    rules: { quotes: 'off', 'comma-dangle': 'off', 'object-curly-spacing': 'off' },
  },
];
