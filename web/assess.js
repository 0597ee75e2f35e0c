// assess.js - assessment and backup fit (#/assess): POST /api/v1/assess and /api/v1/fit.

import { h, clear, api, pct0, pctInterval, points, num, tierBadge, PATHWAY_LABEL } from './util.js';
import { specBadge } from './vocab.js';
import { hasProfile, currentProfile, announce } from './state.js';
import { intervalBar, meter } from './charts.js';

function assessmentView(a) {
  const specs = a.specialties || [];
  const helps = (a.factors || []).filter((f) => f.direction === 'helps');
  const hurts = (a.factors || []).filter((f) => f.direction === 'hurts');
  const factorList = (list, empty) => (list.length
    ? h('ul', { class: 'factors' }, list.map((f) => h('li', {},
      h('span', { class: 'factor-label' }, f.label), ' ',
      h('span', { class: `effect ${f.effect_on_p_match > 0 ? 'good' : f.effect_on_p_match < 0 ? 'bad' : ''}` }, points(f.effect_on_p_match)))))
    : h('p', { class: 'muted' }, empty));
  return h('div', { class: 'assessment' },
    h('section', { class: 'card', 'aria-labelledby': 'as-h' },
      h('h2', { id: 'as-h' }, 'P(match) per specialty'),
      h('p', { class: 'hint' }, `At the typical number of applications for each specialty. The band is the 80% interval; the thin lines mark 50% and 80%, the guide's at-risk and highly competitive cut-offs. Overall you are `, tierBadge(a.tier), a.primary ? ` for ${a.primary}.` : '.'),
      h('ul', { class: 'bars', 'data-testid': 'assess-bars' }, specs.map((s) => h('li', { class: 'bar-row', 'data-code': s.code },
        h('div', { class: 'bar-head' }, specBadge(s.code), ' ', h('span', { class: 'bar-name' }, s.name), ' ', tierBadge(s.tier)),
        intervalBar(s.p_match, s.p_match_low, s.p_match_high, `${s.code} P(match)`),
        h('div', { class: 'bar-text' },
          h('strong', { 'data-testid': `assess-p-${s.code}` }, pct0(s.p_match)),
          ` (80% interval ${pctInterval(s.p_match_low, s.p_match_high)}) with ${s.n_applications} applications of ${s.n_programs} programs; about ${num(s.expected_interviews, 1)} interviews; ${s.signals_gold} gold and ${s.signals_silver} silver signals.`)))),
      a.method ? h('p', { class: 'hint' }, a.method) : null),
    h('div', { class: 'two-col' },
      h('section', { class: 'card', 'aria-labelledby': 'fac-h' },
        h('h2', { id: 'fac-h' }, `What helps and hurts${a.primary ? ` (${a.primary})` : ''}`),
        h('p', { class: 'hint' }, 'Against the median applicant of your type, in points of P(match).'),
        h('h3', {}, 'Helps'), factorList(helps, 'Nothing stands out above the median.'),
        h('h3', {}, 'Hurts'), factorList(hurts, 'Nothing stands out below the median.')),
      h('section', { class: 'card', 'aria-labelledby': 'imp-h' },
        h('h2', { id: 'imp-h' }, 'What would raise your odds most'),
        (a.improvements || []).length
          ? h('ol', { class: 'improvements', 'data-testid': 'improvements' }, a.improvements.map((i) => h('li', {},
            h('span', {}, i.change), ': ', h('strong', {}, pct0(i.p_match_after)), ' ', h('span', { class: 'effect good' }, `(${points(i.gain)})`))))
          : h('p', { class: 'muted' }, 'No single change helps much.'))),
    (a.assumptions || []).length ? h('section', { class: 'card', 'aria-labelledby': 'asm-h' },
      h('h2', { id: 'asm-h' }, 'Defaults used'),
      h('ul', { class: 'assumptions' }, a.assumptions.map((x) => h('li', {}, h('code', {}, x.field), ` = ${x.value} `, h('span', { class: 'muted' }, `(${x.why})`))))) : null);
}

function split(list) {
  return (list || '').split(/;\s*/).filter(Boolean);
}

function fitView(f) {
  const specs = f.specialties || [];
  const w = f.weights || {};
  return h('section', { class: 'card', 'aria-labelledby': 'fit-h' },
    h('h2', { id: 'fit-h' }, 'Backup specialties, ranked by fit'),
    h('p', { class: 'hint' }, `Fit = ${Math.round((w.standalone || 0) * 100)}% a satisfying career on its own (your values) + ${Math.round((w.ir_pathway || 0) * 100)}% the road to IR + ${Math.round((w.p_match || 0) * 100)}% your P(match).`),
    h('ol', { class: 'fit-list', 'data-testid': 'fit-list' }, specs.map((s) => h('li', { class: 'fit-card' },
      h('h3', {}, specBadge(s.code), ' ', s.name, ' ', h('span', { class: 'score' }, `fit ${num(s.fit_score, 2)}`)),
      h('dl', { class: 'scores' },
        h('div', {}, h('dt', {}, 'Standalone career'), h('dd', {}, meter(s.standalone_score, `standalone ${num(s.standalone_score, 2)}`), ` ${num(s.standalone_score, 2)}`)),
        h('div', {}, h('dt', {}, 'Road to IR'), h('dd', {}, meter(s.ir_pathway_score, `IR pathway ${num(s.ir_pathway_score, 2)}`), ` ${num(s.ir_pathway_score, 2)}`)),
        h('div', {}, h('dt', {}, 'P(match)'), h('dd', {}, meter(s.p_match, `P(match) ${pct0(s.p_match)}`), ` ${pct0(s.p_match)}`))),
      h('p', {}, h('strong', {}, 'IR pathway: '), PATHWAY_LABEL[s.ir_pathway] || s.ir_pathway, '. ', s.ir_pathway_note || ''),
      h('div', { class: 'proscons' },
        h('div', {}, h('h4', {}, 'Pros'), h('ul', { class: 'pros' }, split(s.pros).map((p) => h('li', {}, p)))),
        h('div', {}, h('h4', {}, 'Cons'), h('ul', { class: 'cons' }, split(s.cons).map((p) => h('li', {}, p)))))))));
}

export async function renderAssess(main, args, params, token) {
  main.append(h('h1', { tabindex: '-1' }, 'Assessment and backup fit'));
  if (!hasProfile()) {
    main.append(h('p', { class: 'notice' }, 'There is no profile yet. ', h('a', { href: '#/wizard' }, 'Fill in the wizard'), ' or load an example there.'));
    return;
  }
  const profile = currentProfile();
  main.append(h('p', { class: 'lede' }, `For ${profile.name || 'your profile'}. `, h('a', { href: '#/wizard' }, 'Edit the profile'), ' · ', h('a', { href: '#/plan' }, 'Make the plan')));
  const holder = h('div', { 'aria-busy': 'true' }, h('p', { class: 'loading' }, 'Assessing your profile…'));
  main.append(holder);
  announce('Assessing your profile…');
  const [a, f] = await Promise.allSettled([api('POST', '/assess', { profile }), api('POST', '/fit', { profile })]);
  if (!token.live()) return;
  holder.removeAttribute('aria-busy');
  clear(holder);
  if (a.status === 'fulfilled') holder.append(assessmentView(a.value));
  else holder.append(h('div', { class: 'notice error', role: 'alert' }, h('p', {}, `Assessment failed: ${a.reason.message}`), h('p', {}, h('a', { href: '#/wizard' }, 'Check the profile'), '.')));
  if (f.status === 'fulfilled') holder.append(fitView(f.value));
  else holder.append(h('div', { class: 'notice error', role: 'alert' }, h('p', {}, `Fit failed: ${f.reason.message}`)));
  announce(a.status === 'fulfilled' ? 'Assessment ready.' : 'The assessment could not be made.', a.status === 'fulfilled' ? 'info' : 'error');
}
