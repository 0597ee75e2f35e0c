// state.js - what the browser keeps: the draft (profile, plan options, rank list), the last
// plan and the ticked checklist items, all in localStorage (no other module touches it);
// the profile as sent (currentProfile); and the page-wide status line (aria-live).

import { hashString } from './util.js';
import { specialties } from './vocab.js';

const KEY = 'smartpick.draft/1';
const PLAN_KEY = 'smartpick.lastplan/1';
const CHECK_KEY = 'smartpick.checks/1';

export const PROFILE_SCHEMA = 'smartpick.profile/1';

function fresh() {
  return {
    profile: { schema: PROFILE_SCHEMA },
    step: 0,
    options: {},
    rank: { interviews: [], pgy1: [] },
  };
}

function read() {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return fresh();
    const d = JSON.parse(raw);
    const f = fresh();
    return {
      profile: d.profile && typeof d.profile === 'object' ? d.profile : f.profile,
      step: Number.isInteger(d.step) ? d.step : 0,
      options: d.options && typeof d.options === 'object' ? d.options : {},
      rank: d.rank && Array.isArray(d.rank.interviews) ? d.rank : f.rank,
    };
  } catch (e) {
    return fresh();
  }
}

export const draft = read();

export function saveDraft() {
  try {
    localStorage.setItem(KEY, JSON.stringify(draft));
  } catch (e) {
    /* storage full or disabled: the draft lives on in memory */
  }
}

export function resetDraft() {
  Object.assign(draft, fresh());
  saveDraft();
}

export function setProfile(p) {
  draft.profile = p;
  saveDraft();
}

// The key order of docs/PROFILE.md, used when exporting and sending.
function keyOrder(path) {
  switch (path) {
    case '':
      return ['schema', 'name', 'applicant_type', 'scores', 'clinical', 'research', 'letters',
        'away_rotations', 'home_programs', 'red_flags', 'visa', 'graduation_year', 'application_year',
        'geography', 'values', 'preferences', 'partner'];
    case 'scores': return ['step2_ck', 'comlex2', 'failures'];
    case 'clinical': return ['honors', 'core_clerkships', 'aoa'];
    case 'research': return ['publications', 'abstracts', 'presentations', 'experiences', 'by_specialty'];
    case 'red_flags': return ['gap_months', 'professionalism', 'reapplicant'];
    case 'geography': return ['home_state', 'school_state', 'preferred_divisions', 'ties'];
    case 'values': return ['patient_contact', 'procedural', 'imaging', 'lifestyle', 'income'];
    case 'preferences':
      return ['specialties', 'target_p_match', 'budget_usd', 'budget_applications', 'program_type',
        'avoid_states', 'esir_wanted'];
    case 'letters':
    case 'research.by_specialty':
      return specialties().map((s) => s.code);
    default: return [];
  }
}

function orderKeys(obj, path) {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return obj;
  const out = {};
  for (const k of keyOrder(path)) if (k in obj) out[k] = orderKeys(obj[k], path ? `${path}.${k}` : k);
  for (const k of Object.keys(obj)) if (!(k in out)) out[k] = orderKeys(obj[k], path ? `${path}.${k}` : k);
  return out;
}

/* The profile as exported and sent: the draft's keys in PROFILE.md order. */
export function currentProfile() {
  const p = orderKeys(draft.profile, '');
  p.schema = p.schema || PROFILE_SCHEMA;
  return p;
}

/* Is the draft complete enough to send? (the server decides whether it is valid) */
export function hasProfile() {
  return Boolean(draft.profile && draft.profile.applicant_type);
}

/* The options object sent with a plan: only the keys the user set. */
export function planOptions() {
  const o = {};
  for (const [k, v] of Object.entries(draft.options || {})) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v) && v.length === 0) continue;
    if (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) continue;
    o[k] = v;
  }
  return o;
}

export function requestKey(profile, options) {
  return hashString(JSON.stringify([profile, options]));
}

/* The last plan computed, so #/plan shows it again without a new request. */
export function rememberPlan(key, plan) {
  try {
    localStorage.setItem(PLAN_KEY, JSON.stringify({ key, plan }));
  } catch (e) {
    /* too big for storage: fine, it will be recomputed */
  }
}

export function recallPlan(key) {
  try {
    const d = JSON.parse(localStorage.getItem(PLAN_KEY) || 'null');
    return d && d.key === key ? d.plan : null;
  } catch (e) {
    return null;
  }
}

/* The plan's checklist items the user ticked, by key (a hash of the item). */
function checks() {
  try {
    return JSON.parse(localStorage.getItem(CHECK_KEY) || '{}') || {};
  } catch (e) {
    return {};
  }
}

export function isChecked(key) {
  return Boolean(checks()[key]);
}

export function setChecked(key, on) {
  const c = checks();
  if (on) c[key] = 1;
  else delete c[key];
  try {
    localStorage.setItem(CHECK_KEY, JSON.stringify(c));
  } catch (e) { /* storage full or disabled: the tick lasts until the page is left */ }
}

/* ---------------------------------------------------------------- status line */

export function announce(text, kind = 'info') {
  const el = document.getElementById('status');
  if (!el) return;
  el.textContent = text;
  el.dataset.kind = kind;
  el.hidden = !text;
}
