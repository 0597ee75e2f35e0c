// vocab.js - the server's vocabularies, fetched once when the app starts (app.js awaits
// loadVocab() before drawing a page) so pages read them synchronously and keep no copies:
//
//   GET /api/v1/specialties     the specialties' codes, names and ACGME codes, in order
//   GET /api/v1/plan-options    each plan option's kind, limits, default and values
//
// A server without /plan-options (404) leaves the options unknown: no client-side limits,
// the server still checks every value.

import { h, api, ApiError } from './util.js';

let specs = []; // [{code, name, acgme}]
let specByCode = new Map();
let specByAcgme = new Map();
let options = new Map(); // JSON name -> {json, cli, kind, min, max, default, values, help}
let loading = null;

async function loadSpecialties() {
  const r = await api('GET', '/specialties');
  specs = (r.specialties || []).map((s) => ({ code: s.code, name: s.name, acgme: s.acgme_code }));
  specByCode = new Map(specs.map((s) => [s.code, s]));
  specByAcgme = new Map(specs.map((s) => [s.acgme, s]));
}

async function loadPlanOptions() {
  let r;
  try {
    r = await api('GET', '/plan-options');
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return;
    throw e;
  }
  options = new Map((r.options || []).map((o) => [o.json, o]));
}

/* Fetches both lists once; a failure (the server unreachable) is thrown and the next call
 * tries again. */
export function loadVocab() {
  if (!loading) {
    loading = Promise.all([loadSpecialties(), loadPlanOptions()]).catch((e) => {
      loading = null;
      throw e;
    });
  }
  return loading;
}

/* ---------------------------------------------------------------- specialties */

/* [{code, name, acgme}] in the server's order (empty until loadVocab() resolved). */
export function specialties() {
  return specs;
}

export function specName(code) {
  const s = specByCode.get(code);
  return s ? s.name : undefined;
}

/* The specialty of an ACGME program ID (its first three digits are the specialty's code). */
export function specOfProgramId(id) {
  const s = specByAcgme.get(String(id).slice(0, 3));
  return s ? s.code : null;
}

export function specBadge(code) {
  return h('abbr', { class: `spec s-${code}`, title: specName(code) || code }, code);
}

/* ---------------------------------------------------------------- plan options */

/* The option named `json` in POST /api/v1/plan's "options", or null when the server did not
 * describe it. */
export function planOption(json) {
  return options.get(json) || null;
}

function rangeText(o, what) {
  const has = (v) => typeof v === 'number';
  if (has(o.min) && has(o.max)) return `${what} from ${o.min} to ${o.max}`;
  if (has(o.min)) return `${what} of at least ${o.min}`;
  if (has(o.max)) return `${what} of at most ${o.max}`;
  return what;
}

/* Why value v breaks option o's limits, or null. Bounds are taken as inclusive, so a value
 * the server accepts is never refused here. */
function breaks(o, v) {
  const integer = o.kind === 'integer' || o.kind === 'spec_count';
  if (o.kind === 'number' || integer) {
    const what = integer ? 'a whole number' : 'a number';
    if (typeof v !== 'number' || !Number.isFinite(v) || (integer && !Number.isInteger(v))
        || (typeof o.min === 'number' && v < o.min) || (typeof o.max === 'number' && v > o.max)) {
      return `must be ${rangeText(o, what)}`;
    }
    return null;
  }
  if (o.kind === 'enum' && Array.isArray(o.values) && !o.values.includes(v)) {
    return `must be one of ${o.values.join(', ')}`;
  }
  return null;
}

/* The first option of `opts` (a plan request's "options") outside the server's limits, as
 * {field, message} in the API's terms, or null. */
export function checkPlanOptions(opts) {
  for (const [k, v] of Object.entries(opts || {})) {
    const o = options.get(k);
    if (!o) continue;
    if (o.kind === 'spec_count') {
      for (const [code, n] of Object.entries(v || {})) {
        const why = breaks(o, n);
        if (why) return { field: `options.${k}.${code}`, message: `options.${k}.${code}: '${n}' ${why}` };
      }
      continue;
    }
    const why = breaks(o, v);
    if (why) return { field: `options.${k}`, message: `options.${k}: '${v}' ${why}` };
  }
  return null;
}
