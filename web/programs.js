// programs.js - the program browser (#/programs): GET /api/v1/programs with specialty,
// state, division, near/zip + radius, ESIR, new and DO-friendly filters; distance shown.
// The filters live in the hash (#/programs?specialty=IR&near=Dallas,%20TX) so a search can
// be bookmarked and survives a reload.

import { h, clear, api, num, DIVISIONS, DIVISION_NAME } from './util.js';
import { specialties, specBadge } from './vocab.js';
import { draft, saveDraft, announce } from './state.js';
import { legend } from './charts.js';
import { usMap } from './usmap.js';

const PAGE = 100;

function readParams(params) {
  const f = {
    specialty: params.getAll('specialty'),
    state: params.get('state') || '',
    division: params.get('division') || '',
    near: params.get('near') || '',
    zip: params.get('zip') || '',
    radius: params.get('radius') || '',
    esir: params.get('esir') === '1',
    new: params.get('new') === '1',
    do_friendly: params.get('do_friendly') === '1',
    sort: params.get('sort') || '',
  };
  if (![...params.keys()].length) {
    const pref = draft.profile.preferences && draft.profile.preferences.specialties;
    if (Array.isArray(pref) && pref.length) f.specialty = [pref[0]];
  }
  return f;
}

function toQuery(f) {
  const q = new URLSearchParams();
  for (const s of f.specialty) q.append('specialty', s);
  for (const st of f.state.split(/[\s,;]+/).filter(Boolean)) q.append('state', st.toUpperCase());
  if (f.division) q.append('division', f.division);
  if (f.near.trim()) q.append('near', f.near.trim());
  if (f.zip.trim()) q.append('zip', f.zip.trim());
  if (f.radius.trim()) q.append('radius', f.radius.trim());
  if (f.esir) q.append('esir', '1');
  if (f.new) q.append('new', '1');
  if (f.do_friendly) q.append('do_friendly', '1');
  if (f.sort) q.append('sort', f.sort);
  return q.toString();
}

function addToRank(p) {
  const list = draft.rank.interviews;
  if (list.some((x) => x.acgme_id === p.acgme_id)) {
    announce(`${p.institution} is already on your rank list.`);
    return;
  }
  list.push({ acgme_id: p.acgme_id, institution: p.institution, specialty: p.specialty, city: p.city, state: p.state, advanced: p.specialty === 'IR' || p.specialty === 'DR' });
  saveDraft();
  announce(`Added ${p.institution} (${p.specialty}) to your rank list (${list.length} programs).`);
}

export async function renderPrograms(main, args, params, token) {
  const f = readParams(params);
  main.append(h('h1', { tabindex: '-1' }, 'Program browser'),
    h('p', { class: 'lede' }, 'The ERAS 2026 programs of the nine specialties. Distances are great-circle miles between city centroids.'));
  const errBox = h('div', { class: 'messages', 'aria-live': 'polite' });
  const results = h('div', { class: 'results' });
  const fieldErr = {};
  const errP = (k) => { fieldErr[k] = h('p', { class: 'field-error', id: `pf-${k}-err`, hidden: true }); return fieldErr[k]; };
  const text = (k, label, hint, extra) => h('div', { class: 'field' },
    h('label', { for: `pf-${k}` }, label),
    hint ? h('p', { class: 'hint', id: `pf-${k}-hint` }, hint) : null,
    h('input', {
      id: `pf-${k}`, type: 'text', value: f[k], autocomplete: 'off', 'data-testid': `programs-${k}`,
      'aria-describedby': [hint ? `pf-${k}-hint` : null, `pf-${k}-err`].filter(Boolean).join(' '),
      oninput: (e) => { f[k] = e.target.value; }, ...(extra || {}),
    }), errP(k));
  const box = (k, label) => h('div', { class: 'field check' },
    h('input', { type: 'checkbox', id: `pf-${k}`, checked: f[k], onchange: (e) => { f[k] = e.target.checked; } }),
    h('label', { for: `pf-${k}` }, label));
  const form = h('form', {
    class: 'filters-form', novalidate: true, 'aria-label': 'Filter programs',
    onsubmit: (e) => { e.preventDefault(); search(true); },
  },
  h('fieldset', { class: 'checks inline-checks' }, h('legend', {}, 'Specialties'),
    specialties().map((s) => h('div', { class: 'check' },
      h('input', {
        type: 'checkbox', id: `pf-s-${s.code}`, checked: f.specialty.includes(s.code),
        onchange: (e) => {
          f.specialty = f.specialty.filter((x) => x !== s.code);
          if (e.target.checked) f.specialty.push(s.code);
        },
      }),
      h('label', { for: `pf-s-${s.code}`, title: s.name }, s.code)))),
  h('div', { class: 'grid' },
    text('state', 'States', 'Two-letter codes, e.g. TX, OK.'),
    h('div', { class: 'field' },
      h('label', { for: 'pf-division' }, 'Census division'),
      h('select', { id: 'pf-division', value: f.division, onchange: (e) => { f.division = e.target.value; } },
        h('option', { value: '' }, 'Any'), DIVISIONS.map((d) => h('option', { value: d.code }, DIVISION_NAME[d.code])))),
    text('near', 'Near a city', '“City, ST”, e.g. Dallas, TX.'),
    text('zip', 'Or near a ZIP code', '5 digits.', { inputmode: 'numeric' }),
    text('radius', 'Within (miles)', 'Needs a city or ZIP.', { inputmode: 'numeric' }),
    h('div', { class: 'field' },
      h('label', { for: 'pf-sort' }, 'Sort by'),
      h('select', { id: 'pf-sort', value: f.sort, onchange: (e) => { f.sort = e.target.value; } },
        h('option', { value: '' }, 'Default (distance when a place is given)'),
        h('option', { value: 'id' }, 'ACGME ID'), h('option', { value: 'name' }, 'Name'),
        h('option', { value: 'distance' }, 'Distance'), h('option', { value: 'state' }, 'State')))),
  h('fieldset', { class: 'checks inline-checks' }, h('legend', {}, 'Only'),
    box('esir', 'DR programs with documented ESIR'), box('new', 'New in ERAS 2026'), box('do_friendly', 'Osteopathic-recognized')),
  h('div', { class: 'inline' }, h('button', { type: 'submit', class: 'primary', 'data-testid': 'programs-search' }, 'Search')));
  main.append(form, errBox, results);

  async function search(fromForm) {
    const q = toQuery(f);
    if (fromForm) history.replaceState(null, '', `#/programs${q ? `?${q}` : ''}`);
    for (const el of Object.values(fieldErr)) { el.hidden = true; el.textContent = ''; }
    clear(errBox);
    clear(results).append(h('p', { class: 'loading' }, 'Searching…'));
    results.setAttribute('aria-busy', 'true');
    let r;
    try {
      r = await api('GET', `/programs${q ? `?${q}` : ''}`);
    } catch (e) {
      if (!token.live()) return;
      results.removeAttribute('aria-busy');
      clear(results);
      const k = (e.field || '').split(/[.[]/)[0];
      if (fieldErr[k]) { fieldErr[k].textContent = e.message; fieldErr[k].hidden = false; }
      errBox.append(h('p', { class: 'notice error', role: 'alert' }, e.message));
      return;
    }
    if (!token.live()) return;
    results.removeAttribute('aria-busy');
    show(r.programs || [], Boolean(f.near.trim() || f.zip.trim()));
  }

  function show(list, withDistance) {
    clear(results);
    let shown = 0;
    const tbody = h('tbody', {});
    const more = h('button', { type: 'button', class: 'secondary' }, 'Show more');
    const count = h('p', { class: 'count', 'aria-live': 'polite', 'data-testid': 'programs-count' });
    const page = () => {
      const next = list.slice(shown, shown + PAGE);
      for (const p of next) {
        tbody.append(h('tr', { 'data-testid': 'catalog-row', 'data-id': p.acgme_id },
          h('td', { 'data-label': 'Specialty' }, specBadge(p.specialty)),
          h('td', { 'data-label': 'Program', class: 'prog' }, h('span', { class: 'inst' }, p.institution), h('span', { class: 'id' }, p.acgme_id)),
          h('td', { 'data-label': 'Location' }, `${p.city}, ${p.state}`),
          h('td', { 'data-label': 'Division' }, DIVISION_NAME[p.division] || p.division || ''),
          withDistance ? h('td', { class: 'num', 'data-label': 'Distance' }, typeof p.distance_miles === 'number' ? `${num(p.distance_miles, 1)} mi` : '—') : null,
          h('td', { 'data-label': 'Flags' }, [
            p.new_program ? h('span', { class: 'badge' }, 'new') : null,
            p.osteopathic_recognized ? h('span', { class: 'badge' }, 'DO') : null,
            p.facts && p.facts.esir && p.facts.esir.value === true ? h('span', { class: 'badge tier-likely' }, 'ESIR') : null,
          ]),
          h('td', { 'data-label': '' }, h('button', {
            type: 'button', class: 'link', 'aria-label': `Add ${p.institution} (${p.specialty}) to the rank list`,
            onclick: () => addToRank(p),
          }, 'Add to rank list'))));
      }
      shown += next.length;
      more.hidden = shown >= list.length;
      count.textContent = `${list.length} program${list.length === 1 ? '' : 's'}${shown < list.length ? `, showing the first ${shown}` : ''}.`;
    };
    more.addEventListener('click', () => { page(); });
    const specs = [...new Set(list.map((p) => p.specialty))];
    const mapBox = h('details', { class: 'map-details' }, h('summary', {}, 'Map of these programs'));
    mapBox.addEventListener('toggle', () => {
      if (!mapBox.open || mapBox.querySelector('svg.us-map')) return;
      mapBox.append(usMap({
        points: list.map((p) => ({ lat: p.latitude, lon: p.longitude, cls: `s-${p.specialty}`, r: 4, title: `${p.institution} (${p.city}, ${p.state}) — ${p.specialty}` })),
        label: `Map of ${list.length} programs`, desc: '',
      }), legend(specs.map((s) => ({ cls: `s-${s}`, label: s }))));
    });
    results.append(count, mapBox,
      h('div', { class: 'table-wrap' }, h('table', { class: 'data catalog', 'data-testid': 'catalog-table' },
        h('caption', { class: 'visually-hidden' }, 'Programs'),
        h('thead', {}, h('tr', {}, ['Specialty', 'Program', 'Location', 'Division'].concat(withDistance ? ['Distance'] : [], ['Flags', ''])
          .map((t) => h('th', { scope: 'col', class: t === 'Distance' ? 'num' : null }, t)))),
        tbody)),
      more);
    page();
  }

  await search(false);
}
