// rank.js - the rank-list tool (#/rank): the programs you interviewed at, in your true order
// of preference, with signals and PGY-1 lists -> POST /api/v1/rank -> the recommended rank
// order list with P(match at each rank) and P(unmatched).

import { h, clear, api, pct0, num } from './util.js';
import { specialties, specBadge, specOfProgramId } from './vocab.js';
import { draft, saveDraft, hasProfile, currentProfile, announce } from './state.js';
import { meter } from './charts.js';
import { RANK_EXAMPLE } from './examples.js';

const catalog = new Map(); // specialty -> programs

async function programsOf(code) {
  if (!catalog.has(code)) {
    const r = await api('GET', `/programs?specialty=${encodeURIComponent(code)}`);
    catalog.set(code, r.programs || []);
  }
  return catalog.get(code);
}

export async function renderRank(main, args, params, token) {
  main.append(h('h1', { tabindex: '-1' }, 'Rank order list'),
    h('p', { class: 'lede' }, 'After interviews: list the programs in your true order of preference. The Match favors applicants, so ranking honestly never costs you a program you rank higher, and every program you would accept belongs on the list.'));
  if (!hasProfile()) {
    main.append(h('p', { class: 'notice' }, 'The rank tool uses your profile. ', h('a', { href: '#/wizard' }, 'Fill in the wizard'), ' or load an example there first.'));
    return;
  }
  const R = draft.rank;
  if (!Array.isArray(R.pgy1)) R.pgy1 = [];
  const listEl = h('ol', { class: 'rank-list', 'data-testid': 'rank-list' });
  const pgyEl = h('ol', { class: 'pgy-list' });
  const results = h('div', { class: 'results' });

  function move(arr, k, d, render) {
    const j = k + d;
    if (j < 0 || j >= arr.length) return;
    [arr[k], arr[j]] = [arr[j], arr[k]];
    saveDraft();
    render();
  }

  function renderList(focus) {
    clear(listEl);
    R.interviews.forEach((it, k) => {
      const id = it.acgme_id;
      const sel = h('select', {
        id: `rk-sig-${k}`,
        onchange: (e) => { it.signal = e.target.value; saveDraft(); },
      }, h('option', { value: 'none' }, 'no signal'), h('option', { value: 'gold' }, 'gold'), h('option', { value: 'silver' }, 'silver'));
      sel.value = it.signal || 'none';
      listEl.append(h('li', { 'data-id': id },
        h('div', { class: 'rank-name' }, h('span', { class: 'rank-pos' }, `${k + 1}.`), ' ', specBadge(it.specialty || specOfProgramId(id) || '?'), ' ',
          h('strong', {}, it.institution || id), it.city ? ` — ${it.city}, ${it.state}` : '', h('span', { class: 'id' }, ` ${id}`)),
        h('div', { class: 'rank-controls' },
          h('span', { class: 'field inline-field' }, h('label', { for: `rk-sig-${k}` }, 'Signal'), sel),
          h('span', { class: 'check' }, h('input', { type: 'checkbox', id: `rk-adv-${k}`, checked: Boolean(it.advanced), onchange: (e) => { it.advanced = e.target.checked; saveDraft(); } }),
            h('label', { for: `rk-adv-${k}` }, 'advanced (PGY-2)')),
          h('span', { class: 'check' }, h('input', { type: 'checkbox', id: `rk-acc-${k}`, checked: it.acceptable !== false, onchange: (e) => { it.acceptable = e.target.checked; saveDraft(); } }),
            h('label', { for: `rk-acc-${k}` }, 'I would train here')),
          h('button', { type: 'button', class: 'icon', 'aria-label': `Move ${it.institution || id} up`, disabled: k === 0, onclick: () => move(R.interviews, k, -1, () => renderList(`[data-id="${id}"] button[aria-label$="up"]`)) }, '↑'),
          h('button', { type: 'button', class: 'icon', 'aria-label': `Move ${it.institution || id} down`, disabled: k === R.interviews.length - 1, onclick: () => move(R.interviews, k, 1, () => renderList(`[data-id="${id}"] button[aria-label$="down"]`)) }, '↓'),
          h('button', { type: 'button', class: 'icon danger', 'aria-label': `Remove ${it.institution || id}`, onclick: () => { R.interviews.splice(k, 1); saveDraft(); renderList(); searchInput.focus(); } }, '✕'))));
    });
    if (!R.interviews.length) listEl.append(h('li', { class: 'muted' }, 'No programs yet: find them below, or load the example.'));
    if (focus) {
      const el = listEl.querySelector(focus);
      if (el && !el.disabled) el.focus();
    }
  }

  function renderPgy() {
    clear(pgyEl);
    R.pgy1.forEach((name, k) => pgyEl.append(h('li', {}, h('span', {}, name), ' ',
      h('button', { type: 'button', class: 'icon', 'aria-label': `Move ${name} up`, disabled: k === 0, onclick: () => move(R.pgy1, k, -1, renderPgy) }, '↑'),
      h('button', { type: 'button', class: 'icon', 'aria-label': `Move ${name} down`, disabled: k === R.pgy1.length - 1, onclick: () => move(R.pgy1, k, 1, renderPgy) }, '↓'),
      h('button', { type: 'button', class: 'icon danger', 'aria-label': `Remove ${name}`, onclick: () => { R.pgy1.splice(k, 1); saveDraft(); renderPgy(); } }, '✕'))));
    if (!R.pgy1.length) pgyEl.append(h('li', { class: 'muted' }, 'None: add the preliminary or transitional programs you interviewed at, if you rank advanced positions.'));
  }

  // search
  const prefs = (draft.profile.preferences && draft.profile.preferences.specialties) || [];
  const specSel = h('select', { id: 'rk-spec' }, specialties().map((s) => h('option', { value: s.code }, `${s.code} — ${s.name}`)));
  specSel.value = prefs[0] || 'IR';
  const searchInput = h('input', { id: 'rk-q', type: 'search', autocomplete: 'off', placeholder: 'name, city, state or ACGME ID', 'aria-describedby': 'rk-q-hint' });
  const hits = h('ul', { class: 'hits', 'aria-live': 'polite' });
  let searchSeq = 0;
  async function doSearch() {
    const seq = ++searchSeq;
    const q = searchInput.value.trim().toLowerCase();
    let list;
    try {
      list = await programsOf(specSel.value);
    } catch (e) {
      clear(hits).append(h('li', { class: 'error' }, e.message));
      return;
    }
    if (seq !== searchSeq || !token.live()) return;
    const words = q.split(/\s+/).filter(Boolean);
    const found = list.filter((p) => {
      const hay = `${p.institution} ${p.city} ${p.state} ${p.acgme_id}`.toLowerCase();
      return words.every((w) => hay.includes(w));
    });
    clear(hits);
    if (!q) { hits.append(h('li', { class: 'muted' }, `Type to search ${list.length} ${specSel.value} programs.`)); return; }
    for (const p of found.slice(0, 12)) {
      const added = R.interviews.some((x) => x.acgme_id === p.acgme_id);
      hits.append(h('li', {}, h('span', {}, `${p.institution} — ${p.city}, ${p.state} `, h('span', { class: 'id' }, p.acgme_id)), ' ',
        h('button', {
          type: 'button', class: 'secondary small', disabled: added, 'aria-label': `Add ${p.institution} (${p.specialty})`,
          onclick: (e) => {
            R.interviews.push({ acgme_id: p.acgme_id, institution: p.institution, specialty: p.specialty, city: p.city, state: p.state, advanced: p.specialty === 'IR' || p.specialty === 'DR', signal: 'none' });
            saveDraft();
            renderList();
            e.currentTarget.disabled = true;
            announce(`Added ${p.institution}; ${R.interviews.length} programs on the list.`);
          },
        }, added ? 'Added' : 'Add')));
    }
    if (!found.length) hits.append(h('li', { class: 'muted' }, 'No program matches.'));
    else if (found.length > 12) hits.append(h('li', { class: 'muted' }, `${found.length - 12} more: type more of the name.`));
  }
  searchInput.addEventListener('input', doSearch);
  specSel.addEventListener('change', doSearch);

  const pgyInput = h('input', { id: 'rk-pgy', type: 'text', autocomplete: 'off', placeholder: 'e.g. Preliminary medicine, City Hospital' });
  const addPgy = () => {
    const v = pgyInput.value.trim();
    if (!v) return;
    R.pgy1.push(v);
    saveDraft();
    pgyInput.value = '';
    renderPgy();
    pgyInput.focus();
  };
  pgyInput.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); addPgy(); } });

  async function loadExample() {
    R.interviews = RANK_EXAMPLE.interviews.map((it) => ({ ...it }));
    R.interviews.sort((a, b) => a.preference - b.preference);
    for (const it of R.interviews) { it.specialty = specOfProgramId(it.acgme_id); delete it.preference; }
    R.pgy1 = RANK_EXAMPLE.pgy1.slice().sort((a, b) => a.preference - b.preference).map((p) => p.name);
    saveDraft();
    try {
      for (const code of new Set(R.interviews.map((x) => x.specialty))) {
        const list = await programsOf(code);
        for (const it of R.interviews) {
          const p = list.find((x) => x.acgme_id === it.acgme_id);
          if (p) Object.assign(it, { institution: p.institution, city: p.city, state: p.state });
        }
      }
      saveDraft();
    } catch (e) { /* names are cosmetic */ }
    renderList();
    renderPgy();
    announce('Loaded the example interviews.');
  }

  async function compute() {
    const doc = {
      schema: 'smartpick.rank/1',
      profile: currentProfile(),
      interviews: R.interviews.map((it, k) => {
        const o = { acgme_id: it.acgme_id, preference: k + 1 };
        if (it.acceptable === false) o.acceptable = false;
        if (it.signal && it.signal !== 'none') o.signal = it.signal;
        if (it.advanced) o.advanced = true;
        return o;
      }),
    };
    if (R.pgy1.length) doc.pgy1 = R.pgy1.map((name, k) => ({ name, preference: k + 1 }));
    clear(results).append(h('p', { class: 'loading' }, 'Computing…'));
    results.setAttribute('aria-busy', 'true');
    announce('Computing the rank list…');
    let r;
    try {
      r = await api('POST', '/rank', doc);
    } catch (e) {
      if (!token.live()) return;
      results.removeAttribute('aria-busy');
      clear(results).append(h('p', { class: 'notice error', role: 'alert' }, e.message));
      announce('The rank list could not be computed.', 'error');
      return;
    }
    if (!token.live()) return;
    results.removeAttribute('aria-busy');
    const name = Object.fromEntries(R.interviews.map((x) => [x.acgme_id, x]));
    clear(results).append(h('section', { class: 'card', 'aria-labelledby': 'rk-res-h' },
      h('h2', { id: 'rk-res-h' }, 'Your rank order list'),
      h('div', { class: 'summary' },
        h('div', { class: 'stat big' }, h('span', { class: 'stat-label' }, 'P(unmatched)'), h('span', { class: 'stat-value', 'data-testid': 'p-unmatched' }, pct0(r.p_unmatched))),
        h('div', { class: 'stat' }, h('span', { class: 'stat-label' }, 'P(match)'), h('span', { class: 'stat-value' }, pct0(1 - r.p_unmatched))),
        h('div', { class: 'stat' }, h('span', { class: 'stat-label' }, 'Expected utility'), h('span', { class: 'stat-value' }, num(r.expected_utility, 2))),
        typeof r.p_advanced === 'number' && r.p_advanced > 0 ? h('div', { class: 'stat' }, h('span', { class: 'stat-label' }, 'P(advanced position)'), h('span', { class: 'stat-value' }, pct0(r.p_advanced)),
          typeof r.p_pgy1_if_advanced === 'number' ? h('span', { class: 'stat-sub' }, `PGY-1 found if advanced: ${pct0(r.p_pgy1_if_advanced)}`) : null) : null),
      h('div', { class: 'table-wrap' }, h('table', { class: 'data', 'data-testid': 'rank-table' },
        h('caption', { class: 'visually-hidden' }, 'Recommended rank order list'),
        h('thead', {}, h('tr', {}, ['Rank', 'Program', 'P(match here)', 'P(matched by this rank)'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, (r.ranks || []).map((x) => h('tr', { 'data-testid': 'rank-row' },
          h('td', { class: 'num', 'data-label': 'Rank' }, String(x.rank)),
          h('td', { 'data-label': 'Program' }, specBadge(x.specialty), ` ${x.institution}`, name[x.acgme_id] && name[x.acgme_id].city ? ` (${name[x.acgme_id].city}, ${name[x.acgme_id].state})` : '', x.advanced ? h('span', { class: 'badge' }, 'PGY-2') : null),
          h('td', { class: 'num', 'data-label': 'P(match here)' }, pct0(x.p_match_here)),
          h('td', { 'data-label': 'Cumulative' }, meter(x.p_match_cumulative, `cumulative ${pct0(x.p_match_cumulative)}`), ` ${pct0(x.p_match_cumulative)}`)))))),
      (r.supplemental_pgy1 || []).length ? h('div', {}, h('h3', {}, 'Supplemental PGY-1 list (attach to your advanced programs)'), h('ol', {}, r.supplemental_pgy1.map((n) => h('li', {}, n)))) : null,
      (r.warnings || []).length ? h('div', { class: 'notice warn' }, h('h3', {}, 'Check these'), h('ul', {}, r.warnings.map((w) => h('li', {}, w)))) : null));
    announce(`Rank list ready: P(unmatched) ${pct0(r.p_unmatched)}.`);
  }

  main.append(
    h('section', { class: 'card', 'aria-labelledby': 'rk-list-h' },
      h('h2', { id: 'rk-list-h' }, 'Programs you interviewed at, most preferred first'),
      h('div', { class: 'inline' }, h('button', { type: 'button', class: 'secondary', 'data-testid': 'rank-load-example', onclick: loadExample }, 'Load the example interviews'),
        h('button', { type: 'button', class: 'link danger', onclick: () => { R.interviews = []; R.pgy1 = []; saveDraft(); renderList(); renderPgy(); } }, 'Clear')),
      listEl,
      h('fieldset', { class: 'search' }, h('legend', {}, 'Add a program'),
        h('div', { class: 'grid' },
          h('div', { class: 'field' }, h('label', { for: 'rk-spec' }, 'Specialty'), specSel),
          h('div', { class: 'field' }, h('label', { for: 'rk-q' }, 'Search'), h('p', { class: 'hint', id: 'rk-q-hint' }, 'Or use “Add to rank list” in the program browser.'), searchInput)),
        hits)),
    h('section', { class: 'card', 'aria-labelledby': 'rk-pgy-h' },
      h('h2', { id: 'rk-pgy-h' }, 'PGY-1 programs (supplemental list)'),
      pgyEl,
      h('div', { class: 'inline' }, h('label', { for: 'rk-pgy' }, 'Add a PGY-1 program'), pgyInput, h('button', { type: 'button', class: 'secondary', onclick: addPgy }, 'Add'))),
    h('div', { class: 'inline' }, h('button', { type: 'button', class: 'primary', 'data-testid': 'rank-compute', onclick: compute }, 'Compute my rank list')),
    results);
  renderList();
  renderPgy();
  doSearch();
}

