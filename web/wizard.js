// wizard.js - the profile wizard (#/wizard): seven steps over every key of
// docs/PROFILE.md a student fills in, validated by POST /api/v1/profile/validate.
//
// The draft profile (state.draft.profile) is the one source of truth: every control writes
// its key straight into it, and leaving a control empty removes the key, so the server's
// defaults (listed as assumptions) apply. The groups of PROFILE.md (research, letters,
// away_rotations, home_programs, red_flags, geography, values) have an explicit
// "enter my record" / "not specified" choice, because giving a group means "this is my
// record" (left-out members are 0) while leaving it out means "use the median applicant".

import { h, clear, api, ApiError, downloadJson, APPLICANT_TYPES, DIVISIONS, STATES } from './util.js';
import {
  draft, saveDraft, setProfile, resetDraft, announce, currentProfile, PROFILE_SCHEMA,
} from './state.js';
import { specialties, specName } from './vocab.js';
import { EXAMPLES } from './examples.js';

// Short labels for the per-specialty grids (the names come from the server: vocab.js).
const SHORT_NAME = {
  IR: 'interventional radiology', DR: 'diagnostic radiology', IM: 'internal medicine', GS: 'general surgery',
  VS: 'vascular surgery', ANES: 'anesthesiology', EM: 'emergency medicine', NEURO: 'neurology', PMR: 'PM&R',
};

const GROUPS = ['research', 'letters', 'away_rotations', 'home_programs', 'red_flags', 'geography', 'values'];
const GROUP_LABEL = {
  research: 'research',
  letters: 'letters',
  away_rotations: 'away rotations',
  home_programs: 'home programs',
  red_flags: 'red flags',
  geography: 'geography',
  values: 'values',
};

const STEPS = [
  { id: 'scores', title: 'Applicant type & scores', keys: ['schema', 'name', 'applicant_type', 'scores', 'visa', 'graduation_year', 'application_year'] },
  { id: 'clinical', title: 'Clinical & research', keys: ['clinical', 'research'] },
  { id: 'letters', title: 'Letters & rotations', keys: ['letters', 'away_rotations', 'home_programs'] },
  { id: 'flags', title: 'Red flags', keys: ['red_flags'] },
  { id: 'geography', title: 'Geography', keys: ['geography'] },
  { id: 'values', title: 'Values', keys: ['values'] },
  { id: 'preferences', title: 'Preferences', keys: ['preferences', 'partner'] },
];

/* ---------------------------------------------------------------- paths */

function splitPath(path) {
  return path.split('.');
}

function getPath(obj, path) {
  let o = obj;
  for (const k of splitPath(path)) {
    if (!o || typeof o !== 'object') return undefined;
    o = o[k];
  }
  return o;
}

function isGroup(top) {
  return GROUPS.includes(top);
}

function setPath(path, value) {
  const keys = splitPath(path);
  const p = draft.profile;
  if (value === undefined) {
    // remove, and drop emptied containers that are not groups (a given group stays given)
    const stack = [p];
    let o = p;
    for (let i = 0; i < keys.length - 1; i += 1) {
      o = o ? o[keys[i]] : undefined;
      stack.push(o);
    }
    if (o && typeof o === 'object') delete o[keys[keys.length - 1]];
    for (let i = keys.length - 2; i >= 0; i -= 1) {
      const container = stack[i + 1];
      if (!container || typeof container !== 'object' || Object.keys(container).length) break;
      if (i === 0 && isGroup(keys[0])) break;
      delete stack[i][keys[i]];
    }
  } else {
    let o = p;
    for (let i = 0; i < keys.length - 1; i += 1) {
      if (!o[keys[i]] || typeof o[keys[i]] !== 'object' || Array.isArray(o[keys[i]])) o[keys[i]] = {};
      o = o[keys[i]];
    }
    o[keys[keys.length - 1]] = value;
  }
  saveDraft();
  syncGroupRadios(keys[0]);
  scheduleValidate();
}

// "250" -> 250; "" -> undefined; anything else stays a string for the validator to name.
function parseNumber(text) {
  const t = text.trim();
  if (t === '') return undefined;
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return Number(t);
  return t;
}

function parseList(text, upper) {
  const items = text.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean);
  return upper ? items.map((s) => s.toUpperCase()) : items;
}

function display(v) {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return v.join(', ');
  return String(v);
}

/* ---------------------------------------------------------------- the wizard's DOM state */

let ui = null; // {root, steps: [], fields: Map(path -> {el, err, step}), groupRadios, ...}
let validateTimer = 0;
let validateSeq = 0;

function fieldId(path) {
  return 'f-' + path.replace(/[^A-Za-z0-9_-]/g, '-');
}

function register(path, el, err, step) {
  ui.fields.set(path, { el, err, step });
}

function errorSlot(path, idSuffix = '-err') {
  return h('p', { class: 'field-error', id: fieldId(path) + idSuffix, 'data-error-for': path, hidden: true });
}

function hintEl(id, text) {
  return text ? h('p', { class: 'hint', id }, text) : null;
}

/* A text input for a number or a string. opts: {label, hint, numeric, decimal, list, upper,
 * placeholder, autocomplete, group} */
function textField(step, path, opts) {
  const id = fieldId(path);
  const hint = opts.hint ? `${id}-hint` : null;
  const err = errorSlot(path);
  const isList = Boolean(opts.list);
  const input = h('input', {
    id,
    name: path,
    type: 'text',
    inputmode: opts.decimal ? 'decimal' : opts.numeric ? 'numeric' : null,
    autocomplete: opts.autocomplete || 'off',
    spellcheck: 'false',
    placeholder: opts.placeholder || null,
    'aria-describedby': [hint, err.id].filter(Boolean).join(' '),
    'data-field': path,
    value: display(getPath(draft.profile, path)),
    oninput: (e) => {
      const t = e.target.value;
      let v;
      if (isList) {
        const items = parseList(t, opts.upper);
        // an emptied list in a given group (home_programs) stays given: []
        v = items.length ? items : (isGroup(path) && draft.profile[path] !== undefined ? [] : undefined);
      } else if (opts.numeric || opts.decimal) v = parseNumber(t);
      else v = t.trim() === '' ? undefined : t;
      setPath(path, v);
    },
    onchange: (e) => {
      if (opts.upper) e.target.value = display(getPath(draft.profile, path));
    },
  });
  register(path, input, err, step);
  return h('div', { class: `field${opts.wide ? ' wide' : ''}` },
    h('label', { for: id }, opts.label), hintEl(hint, opts.hint), input, err);
}

/* A <select>; choices [[value, label]]; '' removes the key. bool: values 'true'/'false'. */
function selectField(step, path, opts) {
  const id = fieldId(path);
  const hint = opts.hint ? `${id}-hint` : null;
  const err = errorSlot(path);
  const cur = getPath(draft.profile, path);
  const sel = h('select', {
    id,
    name: path,
    'aria-describedby': [hint, err.id].filter(Boolean).join(' '),
    'data-field': path,
    onchange: (e) => {
      const t = e.target.value;
      let v;
      if (t === '') v = undefined;
      else if (opts.bool) v = t === 'true';
      else if (opts.int) v = Number(t);
      else v = t;
      setPath(path, v);
    },
  }, opts.choices.map(([v, label]) => h('option', { value: v }, label)));
  sel.value = cur === undefined ? '' : String(cur);
  if (sel.value !== (cur === undefined ? '' : String(cur))) {
    // a value the list does not know (from an imported file): keep it visible
    sel.append(h('option', { value: String(cur) }, `${cur} (from the file)`));
    sel.value = String(cur);
  }
  register(path, sel, err, step);
  return h('div', { class: 'field' }, h('label', { for: id }, opts.label), hintEl(hint, opts.hint), sel, err);
}

function checkboxField(step, path, label, hint) {
  const id = fieldId(path);
  const err = errorSlot(path);
  const hid = hint ? `${id}-hint` : null;
  const box = h('input', {
    type: 'checkbox',
    id,
    name: path,
    'data-field': path,
    'aria-describedby': [hid, err.id].filter(Boolean).join(' '),
    checked: getPath(draft.profile, path) === true,
    onchange: (e) => setPath(path, e.target.checked),
  });
  register(path, box, err, step);
  return h('div', { class: 'field check' }, box, h('label', { for: id }, label), hintEl(hid, hint), err);
}

/* The group choice: "Enter my record" / "Not specified". */
function groupChoice(step, group, explainGiven, explainMissing) {
  const name = `group-${group}`;
  const given = draft.profile[group] !== undefined;
  const err = errorSlot(group, '-group-err');
  const mk = (val, label, checked) => {
    const id = `${name}-${val}`;
    return h('div', { class: 'radio' },
      h('input', {
        type: 'radio', id, name, value: val, checked,
        'data-testid': `group-${group}-${val}`,
        onchange: () => {
          if (val === 'given') {
            if (draft.profile[group] === undefined) {
              draft.profile[group] = group === 'away_rotations' || group === 'home_programs' ? [] : {};
            }
            saveDraft();
            scheduleValidate();
          } else {
            delete draft.profile[group];
            saveDraft();
            refreshGroupInputs(group);
            scheduleValidate();
          }
        },
      }),
      h('label', { for: id }, label));
  };
  const box = h('fieldset', { class: 'group-choice', 'data-field': group },
    h('legend', {}, `Your ${GROUP_LABEL[group]}`),
    mk('given', explainGiven, given),
    mk('missing', explainMissing, !given),
    err);
  register(group, box, err, step);
  ui.groupRadios[group] = box;
  return box;
}

function syncGroupRadios(group) {
  if (!ui || !ui.groupRadios[group]) return;
  const given = draft.profile[group] !== undefined;
  const g = ui.groupRadios[group].querySelector('input[value="given"]');
  const m = ui.groupRadios[group].querySelector('input[value="missing"]');
  if (g) g.checked = given;
  if (m) m.checked = !given;
}

// After "not specified": empty the group's controls.
function refreshGroupInputs(group) {
  for (const [path, f] of ui.fields) {
    if (path === group || !(path.startsWith(group + '.') || path.startsWith(group + '['))) continue;
    if (f.el.type === 'checkbox') f.el.checked = false;
    else if (f.el.tagName === 'INPUT' || f.el.tagName === 'SELECT') f.el.value = '';
  }
  if (group === 'away_rotations') renderAways();
  if (group === 'geography') {
    for (const box of ui.root.querySelectorAll('input[data-division]')) box.checked = false;
  }
}

/* ---------------------------------------------------------------- steps */

function stepScores(i) {
  const typeErr = errorSlot('applicant_type');
  const typeSet = h('fieldset', { class: 'radios', 'data-field': 'applicant_type' },
    h('legend', {}, 'Applicant type (required)'),
    APPLICANT_TYPES.map((t) => {
      const id = `f-applicant_type-${t.code}`;
      return h('div', { class: 'radio' },
        h('input', {
          type: 'radio', id, name: 'applicant_type', value: t.code,
          checked: draft.profile.applicant_type === t.code,
          'data-testid': `applicant-type-${t.code}`,
          'aria-describedby': typeErr.id,
          onchange: () => setPath('applicant_type', t.code),
        }),
        h('label', { for: id }, t.label));
    }),
    typeErr);
  register('applicant_type', typeSet, typeErr, i);
  return [
    textField(i, 'name', { label: 'Profile name (optional)', hint: 'Up to 63 characters; shown on saved plans.', autocomplete: 'off' }),
    typeSet,
    h('fieldset', {},
      h('legend', {}, 'Scores'),
      h('div', { class: 'grid' },
        textField(i, 'scores.step2_ck', { label: 'USMLE Step 2 CK score', numeric: true, hint: '1–300; pass mark 218. Leave empty for the median of your applicant type.' }),
        textField(i, 'scores.comlex2', { label: 'COMLEX Level 2-CE score (DO only)', numeric: true, hint: '9–999; pass mark 400. Used to estimate Step 2 CK when that is empty.' }),
        textField(i, 'scores.failures', { label: 'Failed exam attempts (any level)', numeric: true, hint: '0–10 USMLE/COMLEX failures.' }))),
    h('fieldset', {},
      h('legend', {}, 'Visa and years'),
      h('div', { class: 'grid' },
        selectField(i, 'visa', {
          label: 'Visa you need',
          choices: [['', 'Not specified (J-1 for non-US IMGs, else none)'], ['none', 'None'], ['j1', 'J-1'], ['h1b', 'H-1B']],
        }),
        textField(i, 'graduation_year', { label: 'Graduation year', numeric: true, hint: '1960–2040, no later than the Match year.' }),
        textField(i, 'application_year', { label: 'Match year you plan for', numeric: true, hint: '2024–2040; default 2027 (the ERAS 2026 season).' }))),
  ];
}

function specialtyGrid(i, base, label, hint) {
  return h('fieldset', { class: 'spec-grid', 'data-field': base },
    h('legend', {}, label),
    hint ? h('p', { class: 'hint' }, hint) : null,
    h('div', { class: 'grid compact' },
      specialties().map((s) => textField(i, `${base}.${s.code}`, { label: `${s.code} (${SHORT_NAME[s.code] || s.name})`, numeric: true, placeholder: '0' }))),
    (() => {
      if (ui.fields.has(base)) return null; // the group's choice shows its errors
      const err = errorSlot(base);
      register(base, err, err, i);
      return err;
    })());
}

function stepClinical(i) {
  return [
    h('fieldset', {},
      h('legend', {}, 'Clerkships'),
      h('div', { class: 'grid' },
        textField(i, 'clinical.honors', { label: 'Core clerkships honored', numeric: true, hint: '0–20, at most the number of core clerkships. 0 if your school has no honors.' }),
        textField(i, 'clinical.core_clerkships', { label: 'Core clerkships taken', numeric: true, hint: '1–20; usually 7.' }),
        selectField(i, 'clinical.aoa', {
          label: 'AOA (Alpha Omega Alpha) member', bool: true,
          choices: [['', 'Not specified (no)'], ['false', 'No'], ['true', 'Yes']],
        }))),
    h('fieldset', { class: 'group' },
      h('legend', {}, 'Research'),
      groupChoice(i, 'research', 'Enter my research (empty boxes count as 0)', 'Not specified: use the median applicant of my type'),
      h('div', { class: 'grid' },
        textField(i, 'research.publications', { label: 'Publications', numeric: true, placeholder: '0', hint: '0–500' }),
        textField(i, 'research.abstracts', { label: 'Abstracts', numeric: true, placeholder: '0', hint: '0–500' }),
        textField(i, 'research.presentations', { label: 'Presentations', numeric: true, placeholder: '0', hint: '0–500' }),
        textField(i, 'research.experiences', { label: 'Research experiences', numeric: true, placeholder: '0', hint: '0–100' })),
      specialtyGrid(i, 'research.by_specialty', 'Of these products, how many are in each specialty',
        'Each at most publications + abstracts + presentations.')),
  ];
}

/* away rotations: rows of {specialty, acgme_id} */
function renderAways(focusIndex) {
  const list = ui.awayList;
  clear(list);
  for (const [path] of [...ui.fields]) if (path.startsWith('away_rotations[')) ui.fields.delete(path);
  const rows = Array.isArray(draft.profile.away_rotations) ? draft.profile.away_rotations : [];
  rows.forEach((row, k) => {
    const sp = `away_rotations[${k}].specialty`;
    const ip = `away_rotations[${k}].acgme_id`;
    const sid = fieldId(sp);
    const iid = fieldId(ip);
    const serr = errorSlot(sp);
    const ierr = errorSlot(ip);
    const sel = h('select', {
      id: sid, 'data-field': sp, 'aria-describedby': serr.id,
      onchange: (e) => { rows[k].specialty = e.target.value; saveDraft(); scheduleValidate(); },
    }, specialties().map((s) => h('option', { value: s.code }, `${s.code} — ${s.name}`)));
    sel.value = row.specialty || 'IR';
    const inp = h('input', {
      id: iid, type: 'text', inputmode: 'numeric', autocomplete: 'off', 'data-field': ip,
      placeholder: 'e.g. 4162500001', 'aria-describedby': `${iid}-hint ${ierr.id}`,
      value: row.acgme_id || '',
      oninput: (e) => {
        const t = e.target.value.trim();
        if (t) rows[k].acgme_id = t;
        else delete rows[k].acgme_id;
        saveDraft();
        scheduleValidate();
      },
    });
    register(sp, sel, serr, 2);
    register(ip, inp, ierr, 2);
    list.append(h('li', { class: 'away-row' },
      h('div', { class: 'field' }, h('label', { for: sid }, `Rotation ${k + 1}: specialty`), sel, serr),
      h('div', { class: 'field' }, h('label', { for: iid }, `Rotation ${k + 1}: ACGME program ID`),
        h('p', { class: 'hint', id: `${iid}-hint` }, '10 digits; empty if unknown.'), inp, ierr),
      h('button', {
        type: 'button', class: 'link danger', 'aria-label': `Remove rotation ${k + 1}`,
        onclick: () => {
          rows.splice(k, 1);
          saveDraft();
          renderAways();
          scheduleValidate();
          ui.awayAdd.focus();
        },
      }, 'Remove')));
  });
  if (!rows.length) list.append(h('li', { class: 'muted' }, 'No away rotations listed.'));
  if (focusIndex !== undefined) {
    const el = document.getElementById(fieldId(`away_rotations[${focusIndex}].specialty`));
    if (el) el.focus();
  }
}

function stepLetters(i) {
  ui.awayList = h('ol', { class: 'away-list' });
  ui.awayAdd = h('button', {
    type: 'button', class: 'secondary', 'data-testid': 'add-away',
    onclick: () => {
      if (!Array.isArray(draft.profile.away_rotations)) draft.profile.away_rotations = [];
      const prim = draft.profile.preferences && Array.isArray(draft.profile.preferences.specialties)
        ? draft.profile.preferences.specialties[0] : null;
      draft.profile.away_rotations.push({ specialty: specName(prim) ? prim : 'IR' });
      saveDraft();
      syncGroupRadios('away_rotations');
      renderAways(draft.profile.away_rotations.length - 1);
      scheduleValidate();
    },
  }, 'Add an away rotation');
  const awaySet = h('fieldset', { class: 'group' },
    h('legend', {}, 'Away rotations (at most 8)'),
    groupChoice(i, 'away_rotations', 'I list my away rotations below (none if the list is empty)', 'Not specified (SmartPick assumes none)'),
    ui.awayList,
    ui.awayAdd);
  const out = [
    h('fieldset', { class: 'group' },
      h('legend', {}, 'Letters of recommendation'),
      groupChoice(i, 'letters', 'Enter my letters (empty boxes count as 0)', 'Not specified: assume 3 letters in my first specialty'),
      specialtyGrid(i, 'letters', 'Letters from faculty of each specialty', '0–10 per specialty.')),
    awaySet,
    h('fieldset', { class: 'group' },
      h('legend', {}, 'Home programs'),
      groupChoice(i, 'home_programs', 'I list my home programs (none if empty)', 'Not specified (SmartPick assumes none)'),
      textField(i, 'home_programs', {
        label: 'ACGME IDs of your home institution\'s programs',
        hint: 'Up to 8 ten-digit IDs separated by commas, e.g. 4203821156. Find them in the program browser.',
        list: true, wide: true,
      })),
  ];
  renderAways();
  return out;
}

function stepFlags(i) {
  return [
    h('fieldset', { class: 'group' },
      h('legend', {}, 'Red flags'),
      h('p', { class: 'hint' }, 'Failed exam attempts are on step 1 (scores).'),
      groupChoice(i, 'red_flags', 'Enter my record (unchecked means no)', 'Not specified (SmartPick assumes none)'),
      h('div', { class: 'grid' },
        textField(i, 'red_flags.gap_months', { label: 'Unexplained time out of training (months)', numeric: true, placeholder: '0', hint: '0–240' })),
      checkboxField(i, 'red_flags.professionalism', 'A professionalism concern is on my record'),
      checkboxField(i, 'red_flags.reapplicant', 'I applied in an earlier Match (reapplicant)')),
  ];
}

function stateChoices(empty) {
  return [['', empty]].concat(STATES.map(([c, n]) => [c, `${c} — ${n}`]));
}

function stepGeography(i) {
  const divErr = errorSlot('geography.preferred_divisions');
  const divSet = h('fieldset', { class: 'checks', 'data-field': 'geography.preferred_divisions' },
    h('legend', {}, 'Preferred Census divisions (at most 3, in order of choice)'),
    h('p', { class: 'hint', id: 'divisions-hint' }, 'As in the ERAS geographic preference; the order you tick them is kept.'),
    DIVISIONS.map((d) => {
      const id = `f-div-${d.code}`;
      const cur = getPath(draft.profile, 'geography.preferred_divisions') || [];
      return h('div', { class: 'check' },
        h('input', {
          type: 'checkbox', id, 'data-division': d.code, checked: cur.includes(d.code),
          'aria-describedby': `divisions-hint ${divErr.id}`,
          onchange: (e) => {
            const list = (getPath(draft.profile, 'geography.preferred_divisions') || []).filter((x) => x !== d.code);
            if (e.target.checked) list.push(d.code);
            setPath('geography.preferred_divisions', list.length ? list : undefined);
          },
        }),
        h('label', { for: id }, d.label));
    }),
    divErr);
  register('geography.preferred_divisions', divSet, divErr, i);
  return [
    h('fieldset', { class: 'group' },
      h('legend', {}, 'Where you want to train'),
      groupChoice(i, 'geography', 'Enter my geography', 'Not specified (no geographic preference)'),
      h('div', { class: 'grid' },
        selectField(i, 'geography.home_state', { label: 'Home state', choices: stateChoices('Not given') }),
        selectField(i, 'geography.school_state', { label: 'Medical school state', choices: stateChoices('Not given') })),
      divSet,
      textField(i, 'geography.ties', {
        label: 'States where you have ties (family, partner, past residence)',
        hint: 'Up to 16 two-letter codes separated by commas, e.g. OH, MI.',
        list: true, upper: true, wide: true,
      })),
  ];
}

const VALUES = [
  ['patient_contact', 'Patient contact and continuity'],
  ['procedural', 'Doing procedures'],
  ['imaging', 'Working with imaging'],
  ['lifestyle', 'Lifestyle and hours'],
  ['income', 'Income'],
];

function stepValues(i) {
  const choices = [['', 'Not specified (3, neutral)'], ['1', '1 — does not matter'], ['2', '2'],
    ['3', '3 — neutral'], ['4', '4'], ['5', '5 — matters most']];
  return [
    h('fieldset', { class: 'group' },
      h('legend', {}, 'How much each matters to you (1–5)'),
      groupChoice(i, 'values', 'Enter my values', 'Not specified (3 for each)'),
      h('div', { class: 'grid' },
        VALUES.map(([k, label]) => selectField(i, `values.${k}`, { label, choices, int: true })))),
  ];
}

/* preferences.specialties: an ordered list with add / move up / move down / remove. */
function specialtyPicker(i) {
  const path = 'preferences.specialties';
  const err = errorSlot(path);
  const list = h('ol', { class: 'picker', id: 'spec-order', 'aria-describedby': 'spec-hint' });
  const addSel = h('select', { id: 'spec-add', 'data-testid': 'specialty-add-select' });
  const addBtn = h('button', { type: 'button', class: 'secondary', 'data-testid': 'specialty-add' }, 'Add');
  const current = () => {
    const v = getPath(draft.profile, path);
    return Array.isArray(v) ? v.slice() : [];
  };
  const commit = (arr, focusSel) => {
    setPath(path, arr.length ? arr : undefined);
    render();
    if (focusSel) {
      const el = list.querySelector(focusSel) || addSel;
      el.focus();
    }
  };
  function render() {
    const arr = current();
    clear(list);
    arr.forEach((code, k) => {
      const name = specName(code) || code;
      list.append(h('li', { 'data-code': code },
        h('span', { class: 'pick-name' }, h('strong', {}, code), ` ${name}${k === 0 ? ' (primary)' : ''}`),
        h('span', { class: 'pick-actions' },
          h('button', {
            type: 'button', class: 'icon', 'aria-label': `Move ${code} up`, disabled: k === 0,
            onclick: () => { const a = current(); [a[k - 1], a[k]] = [a[k], a[k - 1]]; commit(a, `li[data-code="${code}"] button[aria-label^="Move ${code} up"]`); },
          }, '↑'),
          h('button', {
            type: 'button', class: 'icon', 'aria-label': `Move ${code} down`, disabled: k === arr.length - 1,
            onclick: () => { const a = current(); [a[k + 1], a[k]] = [a[k], a[k + 1]]; commit(a, `li[data-code="${code}"] button[aria-label^="Move ${code} down"]`); },
          }, '↓'),
          h('button', {
            type: 'button', class: 'icon danger', 'aria-label': `Remove ${code}`,
            onclick: () => { const a = current(); a.splice(k, 1); commit(a, null); addSel.focus(); },
          }, '✕'))));
    });
    if (!arr.length) list.append(h('li', { class: 'muted' }, 'None chosen: SmartPick considers all nine with no primary.'));
    clear(addSel);
    const left = specialties().filter((s) => !arr.includes(s.code));
    for (const s of left) addSel.append(h('option', { value: s.code }, `${s.code} — ${s.name}`));
    addSel.disabled = !left.length;
    addBtn.disabled = !left.length;
  }
  addBtn.addEventListener('click', () => {
    if (!addSel.value) return;
    const a = current();
    a.push(addSel.value);
    commit(a, null);
    addSel.focus();
  });
  render();
  const box = h('fieldset', { class: 'picker-box', 'data-field': path },
    h('legend', {}, 'Specialties, in order of preference (first = primary)'),
    h('p', { class: 'hint', id: 'spec-hint' }, 'Add them in your order; move them with the arrow buttons.'),
    list,
    h('div', { class: 'inline' }, h('label', { for: 'spec-add' }, 'Add specialty'), addSel, addBtn),
    err);
  register(path, addSel, err, i);
  ui.renderPicker = render;
  return box;
}

function stepPreferences(i) {
  return [
    specialtyPicker(i),
    h('fieldset', {},
      h('legend', {}, 'Target and budget'),
      h('div', { class: 'grid' },
        textField(i, 'preferences.target_p_match', { label: 'Target P(match)', decimal: true, hint: 'Between 0 and 1, e.g. 0.9 for 90%. Default 0.9.' }),
        textField(i, 'preferences.budget_usd', { label: 'Budget for application fees (US$)', decimal: true, hint: '0–1,000,000; 0 means no limit.' }),
        textField(i, 'preferences.budget_applications', { label: 'Or: number of applications', numeric: true, hint: '0–1000 programs; default: the mean of your applicant type.' }))),
    h('fieldset', {},
      h('legend', {}, 'Programs'),
      h('div', { class: 'grid' },
        selectField(i, 'preferences.program_type', {
          label: 'Program type',
          choices: [['', 'Not specified (any)'], ['any', 'Any'], ['academic', 'Academic (university)'], ['community', 'Community']],
        }),
        selectField(i, 'preferences.esir_wanted', {
          label: 'Want a DR program with ESIR', bool: true,
          hint: 'Early Specialization in IR; needs DR among your specialties.',
          choices: [['', 'Not specified (no)'], ['false', 'No'], ['true', 'Yes']],
        }),
        textField(i, 'preferences.avoid_states', {
          label: 'States to avoid', hint: 'Up to 16 two-letter codes, e.g. NY, CA.', list: true, upper: true,
        }))),
    draft.profile.partner
      ? h('p', { class: 'note' }, `Couples match: this profile names a partner profile (${draft.profile.partner.profile}); it is kept in the export.`)
      : null,
  ];
}

const STEP_BUILDERS = [stepScores, stepClinical, stepLetters, stepFlags, stepGeography, stepValues, stepPreferences];

/* ---------------------------------------------------------------- validation */

function stepOfField(field) {
  field = fieldPath(field);
  if (!field) return -1;
  const f = lookupField(field);
  if (f) return f.step;
  const top = field.split(/[.[]/)[0];
  return STEPS.findIndex((s) => s.keys.includes(top));
}

function lookupField(field) {
  let p = field;
  while (p) {
    if (ui.fields.has(p)) return ui.fields.get(p);
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    if (cut <= 0) break;
    p = p.slice(0, cut);
  }
  return null;
}

function clearErrors() {
  for (const f of ui.fields.values()) {
    if (f.err) { f.err.hidden = true; f.err.textContent = ''; }
    if (f.el && f.el.removeAttribute) f.el.removeAttribute('aria-invalid');
  }
  for (const b of ui.stepButtons) b.classList.remove('has-error');
}

function showResult(result) {
  if (!ui) return;
  clearErrors();
  const msg = ui.messages;
  clear(msg);
  if (result.ok) {
    msg.className = 'messages ok';
    msg.append(h('p', {}, 'The profile is valid.',
      result.assumptions && result.assumptions.length
        ? ` SmartPick fills ${result.assumptions.length} default${result.assumptions.length === 1 ? '' : 's'} (listed on the last step).`
        : ''));
    renderAssumptions(result.assumptions || []);
    return;
  }
  const e = { ...result.error, field: fieldPath(result.error.field) };
  msg.className = 'messages error';
  if (e.code === 'network') {
    msg.append(h('p', {}, e.message));
    return;
  }
  const f = lookupField(e.field || '');
  const step = stepOfField(e.field);
  if (f && f.err) {
    f.err.textContent = e.message;
    f.err.hidden = false;
    if (f.el && f.el.setAttribute) f.el.setAttribute('aria-invalid', 'true');
  }
  if (step >= 0) ui.stepButtons[step].classList.add('has-error');
  const where = step >= 0 ? `Step ${step + 1} (${STEPS[step].title}): ` : '';
  msg.append(h('p', {}, where, h('span', { 'data-testid': 'validation-message' }, e.message)));
  if (step >= 0 && step !== draft.step) {
    msg.append(h('button', {
      type: 'button', class: 'link goto-step', 'data-step': String(step),
      onclick: () => { goStep(step); focusField(e.field); },
    }, `Go to step ${step + 1}`));
  }
  if (e.code === 'unknown_field' && e.field && /^[A-Za-z0-9_.]+$/.test(e.field)) {
    // a key the schema does not know (from an imported file): offer to drop it
    msg.append(h('button', {
      type: 'button', class: 'link', 'data-testid': 'remove-unknown-key',
      onclick: () => {
        const keys = e.field.split('.');
        let o = draft.profile;
        for (const k of keys.slice(0, -1)) o = o && typeof o === 'object' ? o[k] : undefined;
        if (o && typeof o === 'object') delete o[keys[keys.length - 1]];
        saveDraft();
        const main = ui.root.parentElement;
        renderInto(main);
        announce(`Removed the unknown key ${e.field}.`);
        validateNow();
      },
    }, `Remove the unknown key ${e.field}`));
  }
  renderAssumptions(null);
}

function focusField(field) {
  const f = lookupField(fieldPath(field) || '');
  if (!f || !f.el) return;
  const target = f.el.matches && f.el.matches('fieldset') ? f.el.querySelector('input, select, button') : f.el;
  if (target && target.focus) target.focus();
}

function renderAssumptions(list) {
  if (!ui.assumptions) return;
  clear(ui.assumptions);
  if (list === null) {
    ui.assumptions.append(h('p', { class: 'muted' }, 'Fix the message above to see the defaults SmartPick would use.'));
    return;
  }
  if (!list.length) {
    ui.assumptions.append(h('p', {}, 'No defaults: every value SmartPick uses comes from your profile.'));
    return;
  }
  ui.assumptions.append(h('ul', { class: 'assumptions' },
    list.map((a) => h('li', {}, h('code', {}, a.field), ` = ${a.value} `, h('span', { class: 'muted' }, `(${a.why})`)))));
}

/* The API names a field by its path in the request body ("profile.research.publications");
 * the wizard's fields are paths in the profile. */
function fieldPath(field) {
  return field ? field.replace(/^profile\./, '') : field;
}

/* POST /api/v1/profile/validate; returns {ok, assumptions} or {ok: false, error}. */
async function validateProfile(profile) {
  try {
    const r = await api('POST', '/profile/validate', { profile });
    return { ok: true, assumptions: r.assumptions || [] };
  } catch (e) {
    if (e instanceof ApiError) return { ok: false, error: { code: e.code, message: e.message, field: e.field } };
    throw e;
  }
}

async function validateNow() {
  clearTimeout(validateTimer);
  const seq = ++validateSeq;
  if (ui) {
    ui.root.setAttribute('aria-busy', 'true');
    ui.root.dataset.validation = 'pending';
  }
  const result = await validateProfile(currentProfile());
  if (ui) ui.root.removeAttribute('aria-busy');
  if (seq === validateSeq) {
    showResult(result);
    if (ui) ui.root.dataset.validation = result.ok ? 'ok' : 'error';
  }
  return result;
}

function scheduleValidate() {
  clearTimeout(validateTimer);
  if (ui) ui.root.dataset.validation = 'pending'; // the latest answer is not in yet
  validateTimer = setTimeout(() => { validateNow(); }, 500);
}

/* ---------------------------------------------------------------- navigation */

function goStep(k) {
  draft.step = Math.max(0, Math.min(STEPS.length - 1, k));
  saveDraft();
  ui.steps.forEach((s, j) => { s.hidden = j !== draft.step; });
  ui.stepButtons.forEach((b, j) => {
    if (j === draft.step) b.setAttribute('aria-current', 'step');
    else b.removeAttribute('aria-current');
  });
  for (const b of ui.messages.querySelectorAll('.goto-step')) b.hidden = Number(b.dataset.step) === draft.step;
  ui.back.disabled = draft.step === 0;
  const last = draft.step === STEPS.length - 1;
  ui.next.hidden = last;
  ui.finish.hidden = !last;
  ui.progress.textContent = `Step ${draft.step + 1} of ${STEPS.length}: ${STEPS[draft.step].title}`;
  const head = ui.steps[draft.step].querySelector('h2');
  if (head) head.focus();
}

async function next() {
  const result = await validateNow();
  if (!result.ok && result.error.code !== 'network') {
    const step = stepOfField(result.error.field);
    if (step >= 0 && step <= draft.step) {
      if (step !== draft.step) goStep(step);
      focusField(result.error.field);
      announce(`Please fix: ${result.error.message}`, 'error');
      return;
    }
  }
  announce('');
  goStep(draft.step + 1);
}

/* ---------------------------------------------------------------- import / export */

function loadProfile(p, source) {
  setProfile(JSON.parse(JSON.stringify(p)));
  draft.step = 0;
  saveDraft();
  renderInto(ui.root.parentElement);
  announce(`Loaded ${source}.`);
  validateNow();
}

async function importFile(file) {
  let text;
  try {
    text = await file.text();
  } catch (e) {
    announce(`Could not read ${file.name}.`, 'error');
    return;
  }
  let doc;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    announce(`${file.name} is not valid JSON: ${e.message}`, 'error');
    return;
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
    announce(`${file.name} is not a profile (a JSON object).`, 'error');
    return;
  }
  loadProfile(doc, file.name);
}

function toolbar() {
  const exSel = h('select', { id: 'example-select', 'data-testid': 'example-select' },
    EXAMPLES.map((e) => h('option', { value: e.id }, e.label)));
  const fileInput = h('input', {
    type: 'file', id: 'import-file', accept: '.json,application/json', 'data-testid': 'import-profile',
    class: 'file-input',
    onchange: (e) => {
      const f = e.target.files && e.target.files[0];
      if (f) importFile(f);
      e.target.value = '';
    },
  });
  return h('div', { class: 'toolbar', role: 'group', 'aria-label': 'Profile file' },
    h('div', { class: 'inline' },
      h('label', { for: 'example-select' }, 'Example'),
      exSel,
      h('button', {
        type: 'button', class: 'secondary', 'data-testid': 'load-example',
        onclick: () => {
          const ex = EXAMPLES.find((x) => x.id === exSel.value) || EXAMPLES[0];
          loadProfile(ex.profile, `the example “${ex.label}”`);
        },
      }, 'Load example')),
    h('div', { class: 'inline' },
      h('label', { for: 'import-file', class: 'button secondary' }, 'Import profile JSON…'),
      fileInput),
    h('button', {
      type: 'button', class: 'secondary', 'data-testid': 'export-profile',
      onclick: () => {
        const p = currentProfile();
        const base = (p.name || 'profile').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase() || 'profile';
        downloadJson(p, `${base}.json`);
      },
    }, 'Export profile JSON'),
    h('button', {
      type: 'button', class: 'link danger', 'data-testid': 'reset-profile',
      onclick: () => {
        if (!window.confirm('Clear the whole profile and start over?')) return;
        resetDraft();
        renderInto(ui.root.parentElement);
      },
    }, 'Start over'));
}

/* ---------------------------------------------------------------- page */

function renderInto(main) {
  clear(main);
  draft.profile = draft.profile && typeof draft.profile === 'object' ? draft.profile : { schema: PROFILE_SCHEMA };
  if (!draft.profile.schema) draft.profile.schema = PROFILE_SCHEMA;
  ui = { fields: new Map(), groupRadios: {}, stepButtons: [], steps: [] };
  const root = h('div', { class: 'wizard', 'data-testid': 'wizard' });
  ui.root = root;
  ui.messages = h('div', { class: 'messages', id: 'wizard-messages', 'aria-live': 'polite', 'data-testid': 'wizard-messages' });
  ui.progress = h('p', { class: 'progress', 'aria-live': 'polite' });

  const stepNav = h('nav', { 'aria-label': 'Wizard steps', class: 'step-nav' },
    h('ol', {}, STEPS.map((s, k) => {
      const b = h('button', { type: 'button', 'data-testid': `wizard-step-${k + 1}`, onclick: () => goStep(k) },
        h('span', { class: 'step-num' }, String(k + 1)), ' ', s.title);
      ui.stepButtons.push(b);
      return h('li', {}, b);
    })));

  const form = h('form', {
    id: 'wizard-form', novalidate: true, 'aria-labelledby': 'wizard-title',
    onsubmit: (e) => { e.preventDefault(); next(); },
  });
  STEPS.forEach((s, k) => {
    const sec = h('section', { class: 'step', id: `step-${s.id}`, 'aria-labelledby': `step-${s.id}-h`, hidden: true },
      h('h2', { id: `step-${s.id}-h`, tabindex: '-1' }, `${k + 1}. ${s.title}`),
      STEP_BUILDERS[k](k));
    ui.steps.push(sec);
    form.append(sec);
  });
  ui.assumptions = h('div', { id: 'assumptions' });
  ui.steps[STEPS.length - 1].append(
    h('section', { class: 'review', 'aria-labelledby': 'review-h' },
      h('h3', { id: 'review-h' }, 'Defaults SmartPick will use'),
      ui.assumptions,
      h('details', {}, h('summary', {}, 'The profile as JSON'), (() => {
        const pre = h('pre', { class: 'json', 'data-testid': 'profile-json' });
        const upd = () => { pre.textContent = JSON.stringify(currentProfile(), null, 2); };
        upd();
        form.addEventListener('input', upd);
        form.addEventListener('change', upd);
        form.addEventListener('click', () => setTimeout(upd, 0));
        return pre;
      })())));

  ui.back = h('button', { type: 'button', class: 'secondary', 'data-testid': 'wizard-back', onclick: () => goStep(draft.step - 1) }, '← Back');
  ui.next = h('button', { type: 'submit', class: 'primary', 'data-testid': 'wizard-next' }, 'Next →');
  const go = async (route) => {
    const r = await validateNow();
    if (!r.ok && r.error.code !== 'network') {
      const step = stepOfField(r.error.field);
      if (step >= 0) goStep(step);
      focusField(r.error.field);
      announce(`Please fix: ${r.error.message}`, 'error');
      return;
    }
    location.hash = route;
  };
  ui.finish = h('div', { class: 'finish', hidden: true },
    h('button', { type: 'button', class: 'secondary', 'data-testid': 'wizard-assess', onclick: () => go('#/assess') }, 'See my assessment'),
    h('button', { type: 'button', class: 'primary', 'data-testid': 'wizard-plan', onclick: () => go('#/plan') }, 'Make my plan →'));
  form.append(h('div', { class: 'wizard-nav' }, ui.back, ui.next, ui.finish));

  root.append(
    h('h1', { id: 'wizard-title', tabindex: '-1' }, 'Your profile'),
    h('p', { class: 'lede' }, 'Seven short steps. Leave anything you do not know empty: SmartPick then uses the median applicant of your type and lists every default it used. Your draft stays in this browser only.'),
    toolbar(),
    stepNav,
    ui.progress,
    ui.messages,
    form);
  main.append(root);
  goStep(draft.step);
  // focus the page title, not the step heading, on first render
  root.querySelector('h1').focus();
}

export function renderWizard(main) {
  renderInto(main);
  if (draft.profile.applicant_type) validateNow();
}
