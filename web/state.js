// state.js - the draft (profile, plan options, rank list) kept in localStorage, and the
// page-wide status line (aria-live).

import { hashString } from './util.js';

const KEY = 'smartpick.draft/1';
const PLAN_KEY = 'smartpick.lastplan/1';

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

/* ---------------------------------------------------------------- status line */

export function announce(text, kind = 'info') {
  const el = document.getElementById('status');
  if (!el) return;
  el.textContent = text;
  el.dataset.kind = kind;
  el.hidden = !text;
}
