// plan_view.js - the plan view shared by the plan page (plan.js) and saved plans (plans.js):
// summary, strategy, program table, diminishing-returns chart, map, costs, checklists,
// timeline, plan if unmatched, export (CSV/XLSX/HTML via the API, JSON) and save.

import {
  h, clear, api, apiFile, download, downloadJson, pct0, pctInterval, usd, num,
  tierBadge, TIER_LABEL, hashString,
} from './util.js';
import { specName, specBadge } from './vocab.js';
import { isChecked, setChecked, announce } from './state.js';
import { curveChart, legend } from './charts.js';
import { usMap } from './usmap.js';

/* ---------------------------------------------------------------- coordinates for the map */

const coordCache = new Map(); // acgme_id -> {lat, lon}
const coordLoaded = new Set(); // specialty codes fetched

async function coordinatesFor(codes) {
  const need = [...new Set(codes)].filter((c) => !coordLoaded.has(c));
  if (need.length) {
    const q = need.map((c) => `specialty=${encodeURIComponent(c)}`).join('&');
    const r = await api('GET', `/programs?${q}`);
    for (const p of r.programs || []) coordCache.set(p.acgme_id, { lat: p.latitude, lon: p.longitude });
    for (const c of need) coordLoaded.add(c);
  }
  return coordCache;
}

/* ---------------------------------------------------------------- pieces */

const SECTION_TITLES = {
  letters: 'Letters of recommendation',
  personal_statements: 'Personal statements',
  signals: 'Signals',
  pgy1: 'PGY-1 (preliminary or transitional) year',
  interviews: 'Interviews',
  timeline: 'Timeline',
  if_unmatched: 'If you do not match',
};

function section(id, title, ...body) {
  return h('section', { class: 'card', id, 'aria-labelledby': `${id}-h` }, h('h2', { id: `${id}-h` }, title), ...body);
}

function summary(plan) {
  const n = (plan.programs || []).length;
  const primary = plan.primary ? ` in ${plan.primary}` : '';
  return h('div', { class: 'summary', 'data-testid': 'plan-summary' },
    h('div', { class: 'stat big' },
      h('span', { class: 'stat-label', id: 'pm-label' }, 'P(match anywhere)'),
      h('span', { class: 'stat-value', 'data-testid': 'p-match-any', 'data-value': String(plan.p_match_any), 'aria-describedby': 'pm-label' }, pct0(plan.p_match_any)),
      h('span', { class: 'stat-sub' }, `80% interval ${pctInterval(plan.p_match_any_low, plan.p_match_any_high)}`)),
    h('div', { class: 'stat' },
      h('span', { class: 'stat-label' }, 'Programs'),
      h('span', { class: 'stat-value' }, h('span', { 'data-testid': 'n-programs' }, String(n))),
      h('span', { class: 'stat-sub' }, plan.pgy1_applications ? `+ ${plan.pgy1_applications} PGY-1 applications` : 'applications')),
    h('div', { class: 'stat' },
      h('span', { class: 'stat-label' }, 'Total cost'),
      h('span', { class: 'stat-value', 'data-testid': 'plan-cost' }, usd(plan.cost_usd)),
      h('span', { class: 'stat-sub' }, plan.budget_usd ? `budget ${usd(plan.budget_usd)}` : plan.max_applications ? `at most ${plan.max_applications} applications` : 'no budget limit')),
    h('div', { class: 'stat' },
      h('span', { class: 'stat-label' }, 'Target'),
      h('span', { class: 'stat-value' }, pct0(plan.target_p_match)),
      h('span', { class: `stat-sub ${plan.target_met ? 'good' : 'bad'}` }, plan.target_met ? 'met' : 'not met')),
    h('p', { class: 'summary-line' }, 'You are ', tierBadge(plan.tier), primary,
      `; objective: ${plan.objective === 'match' ? 'P(match anywhere)' : plan.objective === 'min-cost' ? 'the target at least cost' : 'expected utility'}`,
      typeof plan.expected_utility === 'number' ? ` (expected utility ${num(plan.expected_utility, 2)})` : '', '.'));
}

function bySpecialtyTable(plan) {
  const rows = plan.by_specialty || [];
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data', 'data-testid': 'by-specialty' },
    h('caption', {}, 'By specialty'),
    h('thead', {}, h('tr', {},
      ['Specialty', 'Applications', 'P(match there)', '80% interval', 'Interviews expected', 'Signals (gold / silver)', 'Fees']
        .map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, rows.map((s) => h('tr', {},
      h('th', { scope: 'row' }, specBadge(s.code), ' ', s.name || specName(s.code) || ''),
      h('td', { class: 'num' }, String(s.n_applications)),
      h('td', { class: 'num' }, pct0(s.p_match)),
      h('td', { class: 'num' }, pctInterval(s.p_match_low, s.p_match_high)),
      h('td', { class: 'num' }, num(s.expected_interviews, 1)),
      h('td', { class: 'num' }, `${s.signals_gold} of ${s.signals_gold_available} / ${s.signals_silver} of ${s.signals_silver_available}`),
      h('td', { class: 'num' }, usd(s.cost_usd)))))));
}

function strategy(plan) {
  return (plan.strategy || '').split(/\n\s*\n/).filter(Boolean).map((p) => h('p', {}, p));
}

/* ---------------------------------------------------------------- program table */

const TIER_ORDER = { reach: 0, target: 1, likely: 2 };
const SIGNAL_ORDER = { gold: 2, silver: 1, none: 0 };
const COLUMNS = [
  { key: 'order', label: '#', num: true },
  { key: 'specialty', label: 'Specialty' },
  { key: 'institution', label: 'Program' },
  { key: 'state', label: 'Location', sortVal: (p) => `${p.state} ${p.city}` },
  { key: 'distance_miles', label: 'Distance', num: true },
  { key: 'p_interview', label: 'P(interview)', num: true },
  { key: 'p_match', label: 'P(match)', num: true },
  { key: 'tier', label: 'Tier', sortVal: (p) => TIER_ORDER[p.tier] ?? -1 },
  { key: 'signal', label: 'Signal', sortVal: (p) => SIGNAL_ORDER[p.signal] ?? -1 },
  { key: 'esir', label: 'ESIR', sortVal: (p) => (p.esir === true ? 2 : p.esir === false ? 0 : 1) },
  { key: 'why', label: 'Why', nosort: true },
];

function esirText(v) {
  if (v === true) return 'yes';
  if (v === false) return 'no';
  return '—';
}

function programTable(plan) {
  const programs = plan.programs || [];
  const state = { key: 'order', dir: 1, spec: '', tier: '', signal: '' };
  const specs = [...new Set(programs.map((p) => p.specialty))];
  const count = h('p', { class: 'count', 'aria-live': 'polite', 'data-testid': 'program-count' });
  const tbody = h('tbody', {});
  const headCells = [];

  const mkSelect = (id, label, choices, key) => h('div', { class: 'field inline-field' },
    h('label', { for: id }, label),
    h('select', {
      id, 'data-testid': `filter-${key}`,
      onchange: (e) => { state[key] = e.target.value; draw(); },
    }, choices.map(([v, t]) => h('option', { value: v }, t))));

  const filters = h('div', { class: 'filters', role: 'group', 'aria-label': 'Filter programs' },
    mkSelect('f-plan-spec', 'Specialty', [['', 'All']].concat(specs.map((s) => [s, `${s} — ${specName(s) || s}`])), 'spec'),
    mkSelect('f-plan-tier', 'Tier', [['', 'All'], ['reach', 'Reach'], ['target', 'Target'], ['likely', 'Likely']], 'tier'),
    mkSelect('f-plan-signal', 'Signal', [['', 'All'], ['any', 'Gold or silver'], ['gold', 'Gold'], ['silver', 'Silver'], ['none', 'No signal']], 'signal'));

  const thead = h('thead', {}, h('tr', {}, COLUMNS.map((c) => {
    if (c.nosort) return h('th', { scope: 'col' }, c.label);
    const btn = h('button', {
      type: 'button', class: 'sort', 'data-testid': `sort-${c.key}`,
      onclick: () => {
        if (state.key === c.key) state.dir = -state.dir;
        else { state.key = c.key; state.dir = c.num || c.sortVal ? (c.key === 'order' || c.key === 'distance_miles' ? 1 : -1) : 1; }
        draw();
      },
    }, c.label, h('span', { class: 'sort-ind', 'aria-hidden': 'true' }));
    const th = h('th', { scope: 'col', class: c.num ? 'num' : null }, btn);
    headCells.push([c, th]);
    return th;
  })));

  function row(p) {
    return h('tr', { 'data-testid': 'program-row', 'data-id': p.acgme_id, class: `tier-row-${p.tier}` },
      h('td', { class: 'num', 'data-label': '#' }, String(p.order)),
      h('td', { 'data-label': 'Specialty' }, specBadge(p.specialty)),
      h('td', { 'data-label': 'Program', class: 'prog' }, h('span', { class: 'inst' }, p.institution), h('span', { class: 'id' }, p.acgme_id)),
      h('td', { 'data-label': 'Location' }, `${p.city}, ${p.state}`),
      h('td', { class: 'num', 'data-label': 'Distance' }, p.distance_miles === null || p.distance_miles === undefined ? '—' : `${num(p.distance_miles, 1)} mi`),
      h('td', { class: 'num', 'data-label': 'P(interview)' }, pct0(p.p_interview)),
      h('td', { class: 'num', 'data-label': 'P(match)' }, pct0(p.p_match)),
      h('td', { 'data-label': 'Tier' }, h('span', { class: `badge tier-${p.tier}` }, TIER_LABEL[p.tier] || p.tier)),
      h('td', { 'data-label': 'Signal' }, p.signal && p.signal !== 'none' ? h('span', { class: `badge sig-${p.signal}` }, p.signal) : h('span', { class: 'muted' }, 'none')),
      h('td', { 'data-label': 'ESIR' }, esirText(p.esir)),
      h('td', { 'data-label': 'Why', class: 'why' }, p.why || ''));
  }

  function draw() {
    const c = COLUMNS.find((x) => x.key === state.key);
    const val = c.sortVal || ((p) => p[c.key]);
    const rows = programs.filter((p) => (!state.spec || p.specialty === state.spec)
      && (!state.tier || p.tier === state.tier)
      && (!state.signal || (state.signal === 'any' ? p.signal === 'gold' || p.signal === 'silver' : p.signal === state.signal)));
    rows.sort((a, b) => {
      const va = val(a);
      const vb = val(b);
      if (va === vb || (va == null && vb == null)) return a.order - b.order;
      if (va == null) return 1;
      if (vb == null) return -1;
      return (typeof va === 'string' ? va.localeCompare(vb) : va - vb) * state.dir;
    });
    clear(tbody).append(...rows.map(row));
    for (const [col, th] of headCells) {
      if (col.key === state.key) th.setAttribute('aria-sort', state.dir > 0 ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
      th.querySelector('.sort-ind').textContent = col.key === state.key ? (state.dir > 0 ? ' ▲' : ' ▼') : '';
    }
    count.textContent = rows.length === programs.length
      ? `${programs.length} programs, sorted by ${c.label}.`
      : `Showing ${rows.length} of ${programs.length} programs.`;
  }
  draw();
  return h('div', {}, filters, count,
    h('div', { class: 'table-wrap' }, h('table', { class: 'data programs', 'data-testid': 'program-table' },
      h('caption', { class: 'visually-hidden' }, 'Programs in the plan; column headers sort'), thead, tbody)));
}

/* ---------------------------------------------------------------- map */

function mapSection(plan) {
  const holder = h('div', { class: 'map-holder', 'aria-busy': 'true' }, h('p', { class: 'muted' }, 'Loading program locations…'));
  const programs = plan.programs || [];
  (async () => {
    try {
      const coords = await coordinatesFor(programs.map((p) => p.specialty));
      const points = [];
      const missing = [];
      for (const p of programs) {
        const c = coords.get(p.acgme_id);
        if (!c || typeof c.lat !== 'number') { missing.push(p); continue; }
        points.push({
          id: p.acgme_id, lat: c.lat, lon: c.lon,
          cls: `s-${p.specialty} sig-${p.signal || 'none'}`,
          r: p.signal === 'gold' ? 8 : p.signal === 'silver' ? 6.5 : 5,
          title: `${p.institution} (${p.city}, ${p.state}) — ${p.specialty}, P(interview) ${pct0(p.p_interview)}, ${p.tier}${p.signal && p.signal !== 'none' ? `, ${p.signal} signal` : ''}`,
        });
      }
      const specs = [...new Set(programs.map((p) => p.specialty))];
      const counts = Object.fromEntries(specs.map((s) => [s, programs.filter((p) => p.specialty === s).length]));
      const states = new Set(programs.map((p) => p.state));
      clear(holder).append(...[
        usMap({
          points, testid: 'plan-map',
          label: `Map of the ${programs.length} programs in the plan`,
          desc: `${programs.length} programs in ${states.size} states: ${specs.map((s) => `${counts[s]} ${s}`).join(', ')}.`,
        }),
        legend(specs.map((s) => ({ cls: `s-${s}`, label: `${s} (${counts[s]})` }))
          .concat([{ cls: 'sig-gold key', r: 7, label: 'gold signal' }, { cls: 'sig-silver key', r: 5.5, label: 'silver signal' }, { cls: 'sig-none key', r: 4, label: 'no signal' }])),
        missing.length ? h('p', { class: 'muted' }, `${missing.length} program(s) have no coordinates and are not shown.`) : null,
      ].filter(Boolean));
    } catch (e) {
      clear(holder).append(h('p', { class: 'error' }, `The map could not load the program locations: ${e.message}`));
    }
    holder.removeAttribute('aria-busy');
  })();
  return holder;
}

/* ---------------------------------------------------------------- costs, checklists */

function costTable(plan) {
  const c = plan.costs || {};
  const rows = [];
  for (const [k, v] of Object.entries(c.by_specialty || {})) rows.push([`${k} applications`, v]);
  rows.push(['All specialty applications', c.applications_usd]);
  if (c.pgy1_usd) rows.push([`PGY-1 applications (${plan.pgy1_applications})`, c.pgy1_usd]);
  if (c.transcript_usd) rows.push(['USMLE transcript (once)', c.transcript_usd]);
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data costs', 'data-testid': 'cost-table' },
    h('caption', { class: 'visually-hidden' }, 'Cost breakdown'),
    h('tbody', {}, rows.map(([label, v]) => h('tr', {}, h('th', { scope: 'row' }, label), h('td', { class: 'num' }, usd(v))))),
    h('tfoot', {},
      h('tr', {}, h('th', { scope: 'row' }, 'Total'), h('td', { class: 'num total' }, usd(plan.cost_usd))),
      plan.budget_usd ? h('tr', {}, h('th', { scope: 'row' }, 'Budget'), h('td', { class: 'num' }, usd(plan.budget_usd))) : null)));
}

function checklist(items, sectionKey) {
  return h('ul', { class: 'checklist' }, items.map((it) => {
    const key = hashString(`${sectionKey}|${it.text}`);
    const id = `chk-${key}`;
    return h('li', {},
      h('input', { type: 'checkbox', id, checked: isChecked(key), onchange: (e) => setChecked(key, e.target.checked) }),
      h('label', { for: id }, it.when ? h('strong', {}, `${it.when}: `) : null, it.text));
  }));
}

function timeline(items) {
  return h('ol', { class: 'timeline', 'data-testid': 'timeline' }, items.map((it) => h('li', {},
    h('span', { class: 'when' }, it.when || ''), h('span', { class: 'what' }, it.text))));
}

function groupChecklist(plan) {
  const groups = {};
  for (const it of plan.checklist || []) (groups[it.section] = groups[it.section] || []).push(it);
  return groups;
}

/* ---------------------------------------------------------------- export & save */

function exportBar(ctx) {
  const status = h('p', { class: 'inline-status', 'aria-live': 'polite' });
  const body = () => ({ profile: ctx.profile, options: ctx.options || {} });
  const fileBtn = (fmt, label) => h('button', {
    type: 'button', class: 'secondary', 'data-testid': `export-${fmt}`,
    onclick: async (e) => {
      const btn = e.currentTarget;
      btn.disabled = true;
      status.textContent = `Preparing the ${fmt.toUpperCase()} file…`;
      try {
        const { blob, filename } = await apiFile(`/plan?format=${fmt}`, body(), `smartpick-plan.${fmt}`);
        download(blob, filename);
        status.textContent = `Downloaded ${filename}.`;
      } catch (err) {
        status.textContent = `Export failed: ${err.message}`;
      }
      btn.disabled = false;
    },
  }, label);
  const parts = [
    fileBtn('csv', 'CSV'),
    fileBtn('xlsx', 'Excel (XLSX)'),
    h('button', {
      type: 'button', class: 'secondary', 'data-testid': 'export-json',
      onclick: () => { downloadJson(ctx.plan, 'smartpick-plan.json'); status.textContent = 'Downloaded smartpick-plan.json.'; },
    }, 'JSON'),
    fileBtn('html', 'HTML report'),
  ];
  const bar = h('div', { class: 'export-bar' },
    h('div', { class: 'inline', role: 'group', 'aria-label': 'Export the plan' }, h('span', { class: 'label' }, 'Export:'), parts));
  if (ctx.canSave) {
    const nameId = 'save-name';
    const nameInput = h('input', {
      id: nameId, type: 'text', maxlength: 120, 'data-testid': 'save-name',
      value: `${ctx.profile.name || 'My plan'} — ${new Date().toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric' })}`,
    });
    const saveBtn = h('button', {
      type: 'button', class: 'primary', 'data-testid': 'save-plan',
      onclick: async () => {
        saveBtn.disabled = true;
        status.textContent = 'Saving…';
        try {
          const r = await api('POST', '/plans', { name: nameInput.value.trim() || 'My plan', profile: ctx.profile, options: ctx.options || {} });
          clear(status).append(`Saved “${r.name}”. `, h('a', { href: `#/plans/${r.id}`, 'data-testid': 'saved-link' }, 'Open it in Saved plans'), '.');
          announce(`Plan saved as “${r.name}”.`);
        } catch (err) {
          status.textContent = `Could not save: ${err.message}`;
        }
        saveBtn.disabled = false;
      },
    }, 'Save plan');
    bar.append(h('div', { class: 'inline save' }, h('label', { for: nameId }, 'Save as'), nameInput, saveBtn));
  }
  bar.append(status);
  return bar;
}

/* ---------------------------------------------------------------- the plan view */

/* ctx: {profile, options, plan, canSave} */
export function renderPlanView(plan, ctx) {
  ctx = { ...ctx, plan };
  const groups = groupChecklist(plan);
  const toc = [
    ['sec-summary', 'Summary'], ['sec-curve', 'Diminishing returns'], ['sec-map', 'Map'],
    ['sec-programs', 'Programs'], ['sec-costs', 'Costs'], ['sec-checklists', 'Checklists'],
    ['sec-timeline', 'Timeline'], ['sec-unmatched', 'If unmatched'],
  ];
  const checklistSections = ['letters', 'personal_statements', 'signals', 'pgy1', 'interviews'].filter((k) => groups[k]);
  return h('div', { class: 'plan-view', 'data-testid': 'plan-view' },
    h('nav', { class: 'toc', 'aria-label': 'On this page' }, h('ul', {}, toc.map(([id, t]) => h('li', {},
      h('button', { type: 'button', class: 'link', onclick: () => { const el = document.getElementById(id); if (el) { el.scrollIntoView({ behavior: 'smooth' }); const hd = el.querySelector('h2'); if (hd) { hd.setAttribute('tabindex', '-1'); hd.focus({ preventScroll: true }); } } } }, t))))),
    section('sec-summary', 'Summary', summary(plan), exportBar(ctx), bySpecialtyTable(plan),
      h('h3', {}, 'Strategy'), h('div', { class: 'strategy', 'data-testid': 'strategy' }, strategy(plan))),
    section('sec-curve', 'The point of diminishing returns',
      h('p', { class: 'hint' }, 'How P(match) and fees grow as applications are added in the optimizer\'s order; the thin lines show each specialty applied to alone. Past the bend, more applications buy little.'),
      curveChart(plan)),
    section('sec-map', 'Where the programs are', mapSection(plan)),
    section('sec-programs', 'Programs', programTable(plan)),
    section('sec-costs', 'Costs', costTable(plan)),
    section('sec-checklists', 'Checklists', checklistSections.map((k) => h('div', { class: 'check-group' },
      h('h3', {}, SECTION_TITLES[k]), checklist(groups[k], k)))),
    section('sec-timeline', 'Timeline (MS2 to Match Week)', timeline(groups.timeline || [])),
    section('sec-unmatched', 'The plan if you do not match', checklist(groups.if_unmatched || [], 'if_unmatched')),
    (plan.assumptions && plan.assumptions.length)
      ? section('sec-assumptions', 'Defaults used', h('ul', { class: 'assumptions' }, plan.assumptions.map((a) => h('li', {}, h('code', {}, a.field), ` = ${a.value} `, h('span', { class: 'muted' }, `(${a.why})`)))))
      : null);
}
