// plan.js - the plan page (#/plan): the options form (budget, objective, limits), the
// request (POST /api/v1/plan) and the plan view (plan_view.js) of its answer. The options'
// kinds, limits, defaults and objectives are the server's (vocab.js); a value outside the
// limits is named next to its field without a request.

import { h, clear, api, ApiError, pct0 } from './util.js';
import {
  draft, saveDraft, hasProfile, currentProfile, planOptions, requestKey, rememberPlan, recallPlan,
  announce,
} from './state.js';
import { renderPlanView } from './plan_view.js';
import { specialties, planOption, checkPlanOptions } from './vocab.js';

/* ---------------------------------------------------------------- options form */

// The options this form offers, with its labels; kinds, limits and defaults are the server's.
const OPTION_FIELDS = [
  ['budget_usd', 'Budget (US$)', 'Overrides the profile\'s budget (in dollars, more than 0).'],
  ['max_applications', 'At most this many applications', ''],
  ['target', 'Target P(match) (0–1)', 'Overrides the profile\'s target.'],
  ['per_city', 'At most this many programs per city', ''],
  ['pgy1', 'PGY-1 applications for advanced IR/DR', ''],
];

const OBJECTIVE_LABEL = {
  utility: 'Expected utility',
  match: 'P(match anywhere)',
  'min-cost': 'Reach the target at least cost',
};

/* The keyboard for an option's input: whole numbers get the numeric one. */
function inputMode(k) {
  const o = planOption(k);
  return o && (o.kind === 'integer' || o.kind === 'spec_count') ? 'numeric' : 'decimal';
}

/* The page's hint for an option, and its default when the server gives one. */
function optionHint(k, text) {
  const o = planOption(k);
  const def = o && o.default !== undefined && o.default !== null && o.default !== '' ? `Default ${o.default}.` : '';
  return [text, def].filter(Boolean).join(' ');
}

function parseOpt(t) {
  const s = t.trim();
  if (!s) return undefined;
  return /^[-+]?(\d+\.?\d*|\.\d+)$/.test(s) ? Number(s) : s;
}

function optionsForm(onRun) {
  const o = draft.options;
  const errs = {};
  const set = (k, v) => {
    if (v === undefined) delete o[k];
    else o[k] = v;
    saveDraft();
  };
  const field = (k, label, text) => {
    const id = `opt-${k}`;
    const hint = optionHint(k, text);
    const err = h('p', { class: 'field-error', id: `${id}-err`, hidden: true });
    errs[k] = err;
    return h('div', { class: 'field' },
      h('label', { for: id }, label),
      hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null,
      h('input', {
        id, type: 'text', inputmode: inputMode(k), autocomplete: 'off', 'data-field': `options.${k}`,
        'aria-describedby': [hint ? `${id}-hint` : null, err.id].filter(Boolean).join(' '),
        value: o[k] === undefined ? '' : String(o[k]),
        oninput: (e) => set(k, parseOpt(e.target.value)),
      }), err);
  };
  const specs = (draft.profile.preferences && draft.profile.preferences.specialties) || specialties().map((s) => s.code);
  const limitField = (kind, code) => {
    const id = `opt-${kind}-${code}`;
    return h('div', { class: 'field' },
      h('label', { for: id }, `${code} ${kind === 'min' ? 'at least' : 'at most'}`),
      h('input', {
        id, type: 'text', inputmode: inputMode(kind), autocomplete: 'off', 'data-field': `options.${kind}.${code}`,
        value: o[kind] && o[kind][code] !== undefined ? String(o[kind][code]) : '',
        oninput: (e) => {
          const m = { ...(o[kind] || {}) };
          const v = parseOpt(e.target.value);
          if (v === undefined) delete m[code];
          else m[code] = v;
          set(kind, Object.keys(m).length ? m : undefined);
        },
      }));
  };
  const idList = (k, label) => {
    const id = `opt-${k}`;
    const err = h('p', { class: 'field-error', id: `${id}-err`, hidden: true });
    errs[k] = err;
    return h('div', { class: 'field wide' },
      h('label', { for: id }, label),
      h('input', {
        id, type: 'text', inputmode: 'numeric', autocomplete: 'off', 'data-field': `options.${k}`,
        'aria-describedby': err.id, placeholder: 'ACGME IDs, comma-separated',
        value: (o[k] || []).join(', '),
        oninput: (e) => {
          const ids = e.target.value.split(/[\s,;]+/).filter(Boolean);
          set(k, ids.length ? ids : undefined);
        },
      }), err);
  };
  const objOpt = planOption('objective');
  const objValues = objOpt && Array.isArray(objOpt.values) ? objOpt.values : Object.keys(OBJECTIVE_LABEL);
  const objLabel = (v) => OBJECTIVE_LABEL[v] || v;
  const objId = 'opt-objective';
  const objErr = h('p', { class: 'field-error', id: `${objId}-err`, hidden: true });
  errs.objective = objErr;
  const objective = h('div', { class: 'field' },
    h('label', { for: objId }, 'Objective'),
    h('select', {
      id: objId, 'data-field': 'options.objective', 'aria-describedby': objErr.id,
      onchange: (e) => set('objective', e.target.value || undefined),
      value: o.objective || '',
    },
    h('option', { value: '' }, objOpt && objOpt.default ? `${objLabel(objOpt.default)} (default)` : 'Default'),
    objValues.map((v) => h('option', { value: v }, objLabel(v)))), objErr);

  const form = h('form', {
    class: 'options', novalidate: true, 'aria-label': 'Plan options',
    onsubmit: (e) => { e.preventDefault(); onRun(); },
  },
  h('details', { open: Object.keys(planOptions()).length > 0 },
    h('summary', {}, 'Options (budget, objective, limits)'),
    h('div', { class: 'grid' }, objective, OPTION_FIELDS.map((f) => field(...f))),
    h('fieldset', {}, h('legend', {}, 'Applications per specialty'),
      h('div', { class: 'grid compact' }, specs.map((c) => [limitField('min', c), limitField('max', c)]))),
    h('div', { class: 'grid' }, idList('include', 'Always apply to'), idList('exclude', 'Never apply to')),
    h('button', {
      type: 'button', class: 'link', onclick: () => {
        draft.options = {};
        saveDraft();
        onRun(true);
      },
    }, 'Reset options')),
  h('div', { class: 'inline' },
    h('button', { type: 'submit', class: 'primary', 'data-testid': 'make-plan' }, 'Make plan')));
  form.showError = (e) => {
    for (const el of Object.values(errs)) { el.hidden = true; el.textContent = ''; }
    if (!e || !e.field) return false;
    const k = e.field.replace(/^options\./, '').split(/[.[]/)[0];
    if (errs[k] && (e.field.startsWith('options.') || !/^(scores|clinical|research|letters|away_rotations|home_programs|red_flags|geography|values|preferences|applicant_type|schema|visa|name|graduation_year|application_year|partner)\b/.test(e.field))) {
      errs[k].textContent = e.message;
      errs[k].hidden = false;
      form.querySelector('details').open = true;
      return true;
    }
    return false;
  };
  return form;
}

/* ---------------------------------------------------------------- page */

export async function renderPlanPage(main, args, params, token) {
  main.append(h('h1', { tabindex: '-1' }, 'Your application plan'));
  if (!hasProfile()) {
    main.append(h('p', { class: 'notice' }, 'There is no profile yet. ',
      h('a', { href: '#/wizard' }, 'Fill in the wizard'), ' or load an example there, then come back.'));
    return;
  }
  const profile = currentProfile();
  main.append(h('p', { class: 'lede' }, `For ${profile.name || 'your profile'}. `,
    h('a', { href: '#/wizard' }, 'Edit the profile'), ' · ', h('a', { href: '#/assess' }, 'See the assessment')));
  const results = h('div', { class: 'results' });
  let form = null;
  const run = async (resetForm) => {
    if (resetForm) {
      const nf = optionsForm(run);
      form.replaceWith(nf);
      form = nf;
    }
    const prof = currentProfile();
    const options = planOptions();
    form.showError(null);
    clear(results).append(h('p', { class: 'loading', 'data-testid': 'plan-loading' }, 'Computing your plan…'));
    results.setAttribute('aria-busy', 'true');
    announce('Computing your plan…');
    try {
      const bad = checkPlanOptions(options);
      if (bad) throw new ApiError(400, 'invalid', bad.message, bad.field);
      const plan = await api('POST', '/plan', { profile: prof, options });
      if (!token.live()) return;
      rememberPlan(requestKey(prof, options), plan);
      show(plan, prof, options);
      announce(`Plan ready: P(match anywhere) ${pct0(plan.p_match_any)} with ${plan.programs.length} programs.`);
    } catch (e) {
      if (!token.live()) return;
      results.removeAttribute('aria-busy');
      const onForm = e instanceof ApiError && form.showError(e);
      clear(results).append(h('div', { class: 'notice error', role: 'alert', 'data-testid': 'plan-error' },
        h('p', {}, e.message),
        !onForm && e instanceof ApiError && e.field ? h('p', {}, h('a', { href: '#/wizard' }, 'Fix it in the profile wizard'), '.') : null));
      announce('The plan could not be made.', 'error');
    }
  };
  const show = (plan, prof, options) => {
    results.removeAttribute('aria-busy');
    clear(results).append(renderPlanView(plan, { profile: prof, options, canSave: true }));
  };
  form = optionsForm(run);
  main.append(form, results);
  const cached = recallPlan(requestKey(profile, planOptions()));
  if (cached) show(cached, profile, planOptions());
  else await run();
}
