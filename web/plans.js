// plans.js - saved plans (#/plans): list, open (#/plans/ID), delete, and compare two side
// by side (#/plans/compare/A/B). GET/DELETE /api/v1/plans[/ID].

import { h, clear, api, pct0, pctInterval, usd, num, dateTime } from './util.js';
import { specBadge } from './vocab.js';
import { draft, saveDraft, setProfile, announce } from './state.js';
import { renderPlanView } from './plan_view.js';

async function listView(main, token) {
  main.append(h('h1', { tabindex: '-1' }, 'Saved plans'),
    h('p', { class: 'lede' }, 'Plans you saved, with the profile and options they were made from. Tick two to compare them side by side.'));
  const holder = h('div', { 'aria-busy': 'true' }, h('p', { class: 'loading' }, 'Loading saved plans…'));
  main.append(holder);
  let list;
  try {
    list = (await api('GET', '/plans')).plans || [];
  } catch (e) {
    if (!token.live()) return;
    clear(holder).append(h('p', { class: 'notice error', role: 'alert' }, `Could not load the saved plans: ${e.message}`));
    holder.removeAttribute('aria-busy');
    return;
  }
  if (!token.live()) return;
  holder.removeAttribute('aria-busy');
  clear(holder);
  if (!list.length) {
    holder.append(h('p', { class: 'notice' }, 'No saved plans yet. Make one on the ', h('a', { href: '#/plan' }, 'plan page'), ' and press “Save plan”.'));
    return;
  }
  const picked = new Set();
  const compareBtn = h('button', {
    type: 'button', class: 'primary', disabled: true, 'data-testid': 'compare-plans',
    onclick: () => { const [a, b] = [...picked]; location.hash = `#/plans/compare/${a}/${b}`; },
  }, 'Compare the two ticked plans');
  const hint = h('p', { class: 'hint', 'aria-live': 'polite' }, 'Tick two plans to compare.');
  const update = () => {
    compareBtn.disabled = picked.size !== 2;
    hint.textContent = picked.size === 2 ? 'Ready to compare.' : `Tick ${2 - Math.min(2, picked.size)} more plan${picked.size === 1 ? '' : 's'} to compare.`;
  };
  const rows = list.slice().sort((a, b) => (b.id - a.id)).map((p) => {
    const cid = `cmp-${p.id}`;
    const tr = h('tr', { 'data-testid': 'saved-plan-row', 'data-id': String(p.id) },
      h('td', { 'data-label': 'Compare' }, h('input', {
        type: 'checkbox', id: cid, 'aria-label': `Compare “${p.name}”`,
        onchange: (e) => {
          if (e.target.checked) {
            if (picked.size >= 2) { e.target.checked = false; announce('Only two plans can be compared at a time.'); return; }
            picked.add(p.id);
          } else picked.delete(p.id);
          update();
        },
      })),
      h('th', { scope: 'row', 'data-label': 'Name' }, h('a', { href: `#/plans/${p.id}`, 'data-testid': 'open-saved-plan' }, p.name || `Plan ${p.id}`)),
      h('td', { 'data-label': 'Saved' }, dateTime(p.created_at)),
      h('td', { class: 'num', 'data-label': 'P(match)' }, pct0(p.p_match_any)),
      h('td', { class: 'num', 'data-label': 'Cost' }, usd(p.cost_usd)),
      h('td', { class: 'num', 'data-label': 'Programs' }, String(p.n_programs)),
      h('td', { 'data-label': '' }, h('button', {
        type: 'button', class: 'link danger', 'aria-label': `Delete “${p.name}”`,
        onclick: async () => {
          if (!window.confirm(`Delete the saved plan “${p.name}”?`)) return;
          try {
            await api('DELETE', `/plans/${p.id}`);
            picked.delete(p.id);
            tr.remove();
            update();
            announce(`Deleted “${p.name}”.`);
          } catch (e) {
            announce(`Could not delete: ${e.message}`, 'error');
          }
        },
      }, 'Delete')));
    return tr;
  });
  holder.append(
    h('div', { class: 'table-wrap' }, h('table', { class: 'data saved', 'data-testid': 'saved-plans' },
      h('caption', { class: 'visually-hidden' }, 'Saved plans'),
      h('thead', {}, h('tr', {}, ['Compare', 'Name', 'Saved', 'P(match)', 'Cost', 'Programs', ''].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows))),
    h('div', { class: 'inline' }, compareBtn, hint));
}

async function openView(main, id, token) {
  main.append(h('p', { class: 'crumbs' }, h('a', { href: '#/plans' }, '← Saved plans')));
  const holder = h('div', { 'aria-busy': 'true' }, h('p', { class: 'loading' }, 'Loading the plan…'));
  main.append(holder);
  let sp;
  try {
    sp = await api('GET', `/plans/${encodeURIComponent(id)}`);
  } catch (e) {
    if (!token.live()) return;
    clear(holder).append(h('h1', { tabindex: '-1' }, 'Saved plan'), h('p', { class: 'notice error', role: 'alert' }, e.status === 404 ? `There is no saved plan ${id}.` : e.message));
    return;
  }
  if (!token.live()) return;
  holder.removeAttribute('aria-busy');
  clear(holder).append(
    h('h1', { tabindex: '-1', 'data-testid': 'saved-plan-title' }, sp.name || `Plan ${sp.id}`),
    h('p', { class: 'lede' }, `Saved ${dateTime(sp.created_at)}. `,
      h('button', {
        type: 'button', class: 'link', 'data-testid': 'load-saved-profile',
        onclick: () => {
          setProfile(JSON.parse(JSON.stringify(sp.profile)));
          draft.options = JSON.parse(JSON.stringify(sp.options || {}));
          draft.step = 0;
          saveDraft();
          announce('Loaded the saved profile and options into the wizard.');
          location.hash = '#/wizard';
        },
      }, 'Load its profile and options into the wizard'),
      Object.keys(sp.options || {}).length ? ` · Options: ${JSON.stringify(sp.options)}` : ''),
    renderPlanView(sp.plan, { profile: sp.profile, options: sp.options || {}, canSave: false }));
  const head = holder.querySelector('h1');
  if (head) head.focus();
}

function diffRows(a, b) {
  const pa = a.plan;
  const pb = b.plan;
  const specOf = (p, code) => (p.by_specialty || []).find((s) => s.code === code);
  const codes = [...new Set([...(pa.by_specialty || []), ...(pb.by_specialty || [])].map((s) => s.code))];
  const rows = [
    ['P(match anywhere)', pct0(pa.p_match_any), pct0(pb.p_match_any)],
    ['80% interval', pctInterval(pa.p_match_any_low, pa.p_match_any_high), pctInterval(pb.p_match_any_low, pb.p_match_any_high)],
    ['Programs', String(pa.programs.length), String(pb.programs.length)],
    ['PGY-1 applications', String(pa.pgy1_applications || 0), String(pb.pgy1_applications || 0)],
    ['Total cost', usd(pa.cost_usd), usd(pb.cost_usd)],
    ['Budget', pa.budget_usd ? usd(pa.budget_usd) : '—', pb.budget_usd ? usd(pb.budget_usd) : '—'],
    ['Objective', pa.objective, pb.objective],
    ['Target', `${pct0(pa.target_p_match)} (${pa.target_met ? 'met' : 'not met'})`, `${pct0(pb.target_p_match)} (${pb.target_met ? 'met' : 'not met'})`],
    ['Expected utility', num(pa.expected_utility, 3), num(pb.expected_utility, 3)],
  ];
  for (const c of codes) {
    const sa = specOf(pa, c);
    const sb = specOf(pb, c);
    const cell = (s) => (s ? `${s.n_applications} apps · ${pct0(s.p_match)} · ${usd(s.cost_usd)}` : '—');
    rows.push([`${c}: applications · P(match ends here) · fees`, cell(sa), cell(sb)]);
  }
  return rows;
}

async function compareView(main, ida, idb, token) {
  main.append(h('p', { class: 'crumbs' }, h('a', { href: '#/plans' }, '← Saved plans')),
    h('h1', { tabindex: '-1' }, 'Compare two plans'));
  const holder = h('div', { 'aria-busy': 'true' }, h('p', { class: 'loading' }, 'Loading both plans…'));
  main.append(holder);
  let a;
  let b;
  try {
    [a, b] = await Promise.all([api('GET', `/plans/${encodeURIComponent(ida)}`), api('GET', `/plans/${encodeURIComponent(idb)}`)]);
  } catch (e) {
    if (!token.live()) return;
    clear(holder).append(h('p', { class: 'notice error', role: 'alert' }, `Could not load the plans: ${e.message}`));
    return;
  }
  if (!token.live()) return;
  holder.removeAttribute('aria-busy');
  const ids = (p) => new Set(p.plan.programs.map((x) => x.acgme_id));
  const sa = ids(a);
  const sb = ids(b);
  const both = a.plan.programs.filter((x) => sb.has(x.acgme_id));
  const onlyA = a.plan.programs.filter((x) => !sb.has(x.acgme_id));
  const onlyB = b.plan.programs.filter((x) => !sa.has(x.acgme_id));
  const progList = (list) => (list.length
    ? h('ul', { class: 'prog-list' }, list.map((p) => h('li', {}, specBadge(p.specialty), ` ${p.institution} (${p.city}, ${p.state}) — ${pct0(p.p_interview)} interview`, p.signal !== 'none' ? `, ${p.signal} signal` : '')))
    : h('p', { class: 'muted' }, 'None.'));
  clear(holder).append(
    h('div', { class: 'table-wrap' }, h('table', { class: 'data compare', 'data-testid': 'compare-table' },
      h('caption', {}, 'Side by side'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, ''),
        h('th', { scope: 'col' }, h('a', { href: `#/plans/${a.id}` }, a.name), h('br', {}), h('span', { class: 'muted' }, dateTime(a.created_at))),
        h('th', { scope: 'col' }, h('a', { href: `#/plans/${b.id}` }, b.name), h('br', {}), h('span', { class: 'muted' }, dateTime(b.created_at))))),
      h('tbody', {}, diffRows(a, b).map(([label, va, vb]) => h('tr', { class: va !== vb ? 'differs' : null },
        h('th', { scope: 'row' }, label), h('td', {}, va), h('td', {}, vb)))))),
    h('div', { class: 'compare-cols' },
      h('section', { class: 'card', 'aria-labelledby': 'cmp-a' }, h('h2', { id: 'cmp-a' }, `Only in “${a.name}” (${onlyA.length})`), progList(onlyA)),
      h('section', { class: 'card', 'aria-labelledby': 'cmp-b' }, h('h2', { id: 'cmp-b' }, `Only in “${b.name}” (${onlyB.length})`), progList(onlyB))),
    h('section', { class: 'card', 'aria-labelledby': 'cmp-both' },
      h('details', {}, h('summary', { id: 'cmp-both' }, `In both plans (${both.length})`), progList(both))),
    h('div', { class: 'compare-cols' },
      h('section', { class: 'card', 'aria-labelledby': 'st-a' }, h('h2', { id: 'st-a' }, `Strategy: ${a.name}`), (a.plan.strategy || '').split(/\n\s*\n/).map((t) => h('p', {}, t))),
      h('section', { class: 'card', 'aria-labelledby': 'st-b' }, h('h2', { id: 'st-b' }, `Strategy: ${b.name}`), (b.plan.strategy || '').split(/\n\s*\n/).map((t) => h('p', {}, t)))));
}

export async function renderPlans(main, args, params, token) {
  if (args[0] === 'compare' && args[1] && args[2]) return compareView(main, args[1], args[2], token);
  if (args[0]) return openView(main, args[0], token);
  return listView(main, token);
}

