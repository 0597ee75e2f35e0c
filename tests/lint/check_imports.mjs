// check_imports.mjs - the web app's module rules, which eslint cannot see without plugins:
//
//   node check_imports.mjs WEB_DIR
//
// * the pages (the modules app.js takes a render* function from) import only shared modules,
//   never another page, and nothing imports app.js (the entry, loaded by index.html);
// * no import cycle;
// * every relative import names a file of WEB_DIR and only names that file exports;
// * localStorage appears in state.js only (the one owner of what the browser keeps).
//
// Prints one line per problem and exits 1, or prints a summary and exits 0.

import fs from 'node:fs';
import path from 'node:path';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node check_imports.mjs WEB_DIR');
  process.exit(2);
}

const ENTRY = 'app.js';
const STORAGE_OWNER = 'state.js';

const files = fs.readdirSync(dir).filter((f) => f.endsWith('.js')).sort();
const problems = [];

/* import {a, b as c} from './x.js'; import * as m from './x.js'; import d from './x.js';
 * import './x.js'  ->  [{from, names: ['a', 'b'] | null}] (null: no names to check) */
function importsOf(text) {
  const out = [];
  const re = /^\s*import\s+(?:([\s\S]*?)\s+from\s+)?['"]([^'"]+)['"]/gm;
  let m;
  while ((m = re.exec(text)) !== null) {
    const clause = m[1] || '';
    const braces = /\{([\s\S]*)\}/.exec(clause);
    const names = braces
      ? braces[1].split(',').map((s) => s.trim().split(/\s+as\s+/)[0]).filter(Boolean)
      : [];
    if (/^\s*[A-Za-z_$][\w$]*\s*(,|$)/.test(clause)) names.push('default');
    out.push({ from: m[2], names: /\*\s*as\s/.test(clause) ? null : names });
  }
  if (/\bimport\s*\(/.test(text)) out.push({ from: null, names: null });
  return out;
}

function exportsOf(text) {
  const names = new Set();
  const decl = /^\s*export\s+(?:async\s+)?(?:function\*?|const|let|var|class)\s+([A-Za-z_$][\w$]*)/gm;
  let m;
  while ((m = decl.exec(text)) !== null) names.add(m[1]);
  const list = /^\s*export\s*\{([^}]*)\}/gm;
  while ((m = list.exec(text)) !== null) {
    for (const part of m[1].split(',')) {
      const name = part.trim().split(/\s+as\s+/).pop();
      if (name) names.add(name);
    }
  }
  if (/^\s*export\s+default\b/m.test(text)) names.add('default');
  return names;
}

const mods = new Map(); // file -> {imports: [{file, names}], exports: Set}
for (const f of files) {
  const text = fs.readFileSync(path.join(dir, f), 'utf8');
  const imports = [];
  for (const imp of importsOf(text)) {
    if (imp.from === null) {
      problems.push(`${f}: a dynamic import(): import modules statically so these rules can see them`);
      continue;
    }
    if (!imp.from.startsWith('./') || imp.from.slice(2).includes('/')) {
      problems.push(`${f}: imports '${imp.from}': only sibling modules ('./name.js') are allowed`);
      continue;
    }
    imports.push({ file: imp.from.slice(2), names: imp.names });
  }
  if (f !== STORAGE_OWNER && /localStorage/.test(text)) {
    problems.push(`${f}: uses localStorage: only ${STORAGE_OWNER} reads or writes what the browser keeps`);
  }
  mods.set(f, { imports, exports: exportsOf(text) });
}

if (!mods.has(ENTRY)) problems.push(`${ENTRY}: missing (the entry module)`);

// the pages: the modules the entry takes a render* function from
const pages = new Set();
for (const imp of mods.has(ENTRY) ? mods.get(ENTRY).imports : []) {
  if (imp.names && imp.names.some((n) => /^render[A-Z]/.test(n))) pages.add(imp.file);
}

for (const [f, m] of mods) {
  for (const imp of m.imports) {
    const target = mods.get(imp.file);
    if (!target) {
      problems.push(`${f}: imports ./${imp.file}, which is not a module of ${dir}`);
      continue;
    }
    for (const n of imp.names || []) {
      if (!target.exports.has(n)) problems.push(`${f}: imports ${n} from ./${imp.file}, which does not export it`);
    }
    if (imp.file === ENTRY) problems.push(`${f}: imports ./${ENTRY}, the entry: nothing imports it`);
    else if (pages.has(imp.file) && f !== ENTRY) {
      problems.push(`${f}: imports the page ./${imp.file}: a module may import only shared modules `
        + '(move what both need into a shared module)');
    }
  }
}

// cycles: a depth-first walk; a module met again while still on the stack closes a cycle
const state = new Map(); // file -> 'open' | 'done'
const stack = [];
function walk(f) {
  state.set(f, 'open');
  stack.push(f);
  for (const imp of mods.get(f).imports) {
    if (!mods.has(imp.file)) continue;
    if (state.get(imp.file) === 'open') {
      const cycle = stack.slice(stack.indexOf(imp.file)).concat(imp.file);
      problems.push(`${f}: import cycle ${cycle.join(' -> ')}`);
    } else if (!state.has(imp.file)) walk(imp.file);
  }
  stack.pop();
  state.set(f, 'done');
}
for (const f of mods.keys()) if (!state.has(f)) walk(f);

if (problems.length) {
  for (const p of problems) console.error(`check_imports: ${p}`);
  process.exit(1);
}
const shared = [...mods.keys()].filter((f) => f !== ENTRY && !pages.has(f));
console.log(`check_imports: ${mods.size} modules: the entry ${ENTRY}, ${pages.size} pages `
  + `(${[...pages].join(' ')}), ${shared.length} shared (${shared.join(' ')}); no page imports a page, `
  + `no cycle, every import resolves, localStorage only in ${STORAGE_OWNER}`);
