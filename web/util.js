// util.js - DOM helpers, the API client, number formats and the page's own code lists
// (applicant types, divisions, states, tiers; the specialties come from the server: vocab.js).
// No innerHTML anywhere: every string from the API or the user goes in as text.

// The SVG namespace, taken from an <svg> the HTML parser made (so no URL is spelled here).
let svgNs = null;
function svgNamespace() {
  if (!svgNs) svgNs = new DOMParser().parseFromString('<svg></svg>', 'text/html').body.firstChild.namespaceURI;
  return svgNs;
}

function appendChildren(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/* h('button', {type: 'button', onclick: fn, class: 'x', 'data-testid': 'y'}, 'text', child...)
 * on* functions become listeners; true is an empty attribute; false/null/undefined are skipped;
 * value/checked/selected are set as properties after the children (so a <select> can take
 * its value). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  const late = {};
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'value' || k === 'checked' || k === 'selected') late[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  appendChildren(el, children);
  for (const [k, v] of Object.entries(late)) el[k] = v;
  return el;
}

export function svg(tag, attrs, ...children) {
  const el = document.createElementNS(svgNamespace(), tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, String(v));
  }
  appendChildren(el, children);
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

/* ---------------------------------------------------------------- API */

export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field || null;
  }
}

async function errorFrom(res) {
  let body;
  try {
    body = await res.json();
  } catch (e) {
    body = null;
  }
  const e = body && body.error ? body.error : {};
  const message = e.message || `${res.status} ${res.statusText}`;
  return new ApiError(res.status, e.code || 'http_' + res.status, message, e.field || null);
}

/* api('POST', '/plan', {profile, options}) -> parsed JSON; throws ApiError. */
export async function api(method, path, body) {
  const init = { method, headers: { Accept: 'application/json' } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch('/api/v1' + path, init);
  } catch (e) {
    throw new ApiError(0, 'network', 'Cannot reach the SmartPick server. Is `smartpick serve` running?', null);
  }
  if (!res.ok) throw await errorFrom(res);
  if (res.status === 204) return null;
  return res.json();
}

/* A POST whose answer is a file (CSV, XLSX, HTML): returns {blob, filename}. */
export async function apiFile(path, body, fallbackName) {
  let res;
  try {
    res = await fetch('/api/v1' + path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, 'network', 'Cannot reach the SmartPick server.', null);
  }
  if (!res.ok) throw await errorFrom(res);
  const cd = res.headers.get('Content-Disposition') || '';
  const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(cd);
  const filename = m ? decodeURIComponent(m[1]) : fallbackName;
  return { blob: await res.blob(), filename };
}

export function download(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: filename, class: 'visually-hidden' }, filename);
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

export function downloadJson(obj, filename) {
  download(new Blob([JSON.stringify(obj, null, 2) + '\n'], { type: 'application/json' }), filename);
}

/* ---------------------------------------------------------------- formats */

// P(match) as the API's text gives it: a percent with no decimals.
export function pct0(p) {
  if (p === null || p === undefined || Number.isNaN(p)) return '—';
  return `${Math.round(p * 100)}%`;
}

export function pctInterval(lo, hi) {
  return `${Math.round(lo * 100)}–${Math.round(hi * 100)}%`;
}

// signed percentage points with one decimal: +3.1 points
export function points(x) {
  const v = Math.round(x * 1000) / 10;
  return `${v > 0 ? '+' : v < 0 ? '−' : '±'}${Math.abs(v).toFixed(1)} points`;
}

const USD = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2 });
export function usd(x) {
  if (x === null || x === undefined) return '—';
  return USD.format(x);
}

export function num(x, digits = 1) {
  if (x === null || x === undefined) return '—';
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function dateTime(s) {
  if (!s) return '';
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) return s;
  return d.toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' });
}

/* ---------------------------------------------------------------- code lists */

export const APPLICANT_TYPES = [
  { code: 'us_md', label: 'US MD (senior or graduate)' },
  { code: 'us_do', label: 'US DO' },
  { code: 'us_img', label: 'US-citizen IMG (graduate of a non-US school)' },
  { code: 'non_us_img', label: 'Non-US IMG' },
];

export const DIVISIONS = [
  { code: 'new_england', label: 'New England (CT, ME, MA, NH, RI, VT)' },
  { code: 'middle_atlantic', label: 'Middle Atlantic (NJ, NY, PA)' },
  { code: 'east_north_central', label: 'East North Central (IL, IN, MI, OH, WI)' },
  { code: 'west_north_central', label: 'West North Central (IA, KS, MN, MO, NE, ND, SD)' },
  { code: 'south_atlantic', label: 'South Atlantic (DE, DC, FL, GA, MD, NC, SC, VA, WV)' },
  { code: 'east_south_central', label: 'East South Central (AL, KY, MS, TN)' },
  { code: 'west_south_central', label: 'West South Central (AR, LA, OK, TX)' },
  { code: 'mountain', label: 'Mountain (AZ, CO, ID, MT, NV, NM, UT, WY)' },
  { code: 'pacific', label: 'Pacific (AK, CA, HI, OR, WA)' },
];
export const DIVISION_NAME = Object.fromEntries(DIVISIONS.map((d) => [d.code, d.label.replace(/ \(.*/, '')]));

export const STATES = [
  ['AL', 'Alabama'], ['AK', 'Alaska'], ['AZ', 'Arizona'], ['AR', 'Arkansas'], ['CA', 'California'],
  ['CO', 'Colorado'], ['CT', 'Connecticut'], ['DE', 'Delaware'], ['DC', 'District of Columbia'],
  ['FL', 'Florida'], ['GA', 'Georgia'], ['HI', 'Hawaii'], ['ID', 'Idaho'], ['IL', 'Illinois'],
  ['IN', 'Indiana'], ['IA', 'Iowa'], ['KS', 'Kansas'], ['KY', 'Kentucky'], ['LA', 'Louisiana'],
  ['ME', 'Maine'], ['MD', 'Maryland'], ['MA', 'Massachusetts'], ['MI', 'Michigan'], ['MN', 'Minnesota'],
  ['MS', 'Mississippi'], ['MO', 'Missouri'], ['MT', 'Montana'], ['NE', 'Nebraska'], ['NV', 'Nevada'],
  ['NH', 'New Hampshire'], ['NJ', 'New Jersey'], ['NM', 'New Mexico'], ['NY', 'New York'],
  ['NC', 'North Carolina'], ['ND', 'North Dakota'], ['OH', 'Ohio'], ['OK', 'Oklahoma'], ['OR', 'Oregon'],
  ['PA', 'Pennsylvania'], ['PR', 'Puerto Rico'], ['RI', 'Rhode Island'], ['SC', 'South Carolina'],
  ['SD', 'South Dakota'], ['TN', 'Tennessee'], ['TX', 'Texas'], ['UT', 'Utah'], ['VT', 'Vermont'],
  ['VA', 'Virginia'], ['WA', 'Washington'], ['WV', 'West Virginia'], ['WI', 'Wisconsin'], ['WY', 'Wyoming'],
];

export const TIER_LABEL = {
  highly_competitive: 'highly competitive',
  moderately_competitive: 'moderately competitive',
  at_risk: 'at-risk',
  reach: 'reach',
  target: 'target',
  likely: 'likely',
};

export const PATHWAY_LABEL = {
  esir_independent: 'ESIR or independent IR residency',
  endovascular: 'endovascular (vascular surgery)',
  neurointerventional: 'neurointerventional surgery',
  fellowship: 'procedural fellowships (e.g. interventional cardiology)',
  tangential: 'no direct route into IR',
  direct: 'IR itself',
};

/* A tier badge: <span class="badge tier-moderately_competitive">moderately competitive</span> */
export function tierBadge(tier) {
  return h('span', { class: `badge tier-${tier}` }, TIER_LABEL[tier] || tier || '—');
}

/* A stable small hash (the keys of remembered plans and ticked checklist items). */
export function hashString(s) {
  let x = 2166136261;
  for (let i = 0; i < s.length; i += 1) {
    x ^= s.charCodeAt(i);
    x = Math.imul(x, 16777619);
  }
  return (x >>> 0).toString(36);
}
