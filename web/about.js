// about.js - data sources and attribution (#/about).

import { h, clear, api } from './util.js';

export async function renderAbout(main, args, params, token) {
  const figures = h('div', { 'aria-busy': 'true' }, h('p', { class: 'loading' }, 'Loading the published figures…'));
  main.append(
    h('h1', { tabindex: '-1' }, 'About SmartPick'),
    h('p', { class: 'lede' }, 'SmartPick plans residency applications: which specialties, which programs, how many, where to signal, what it costs and how likely it is to match. It runs on your own computer; nothing you enter is sent anywhere else.'),
    h('section', { class: 'card', 'aria-labelledby': 'src-h' },
      h('h2', { id: 'src-h' }, 'Data sources'),
      h('ul', { class: 'sources', 'data-testid': 'sources' },
        h('li', {}, h('strong', {}, 'ERAS 2026 participating programs. '), 'The AAMC ERAS 2026 list of programs for the nine specialties (Integrated IR, Diagnostic Radiology, Internal Medicine, General Surgery, Integrated Vascular Surgery, Anesthesiology, Emergency Medicine, Neurology, PM&R): 2,207 programs with ACGME IDs, cities and states.'),
        h('li', {}, h('strong', {}, 'NRMP figures. '), 'Main Residency Match results and data (positions, applicants, match rates) and Charting Outcomes in the Match (Step 2 CK of matched and unmatched applicants by specialty and applicant type).'),
        h('li', {}, h('strong', {}, 'AAMC figures. '), 'ERAS statistics: applications per applicant by applicant type, and the ERAS 2026 fee schedule; ResidencyCAS fees for Emergency Medicine.'),
        h('li', {}, h('strong', {}, 'USMLE and NBOME. '), 'Step 2 CK score interpretation guidelines (national mean, SD, pass mark); COMLEX Level 2-CE scoring principles.'),
        h('li', {}, h('strong', {}, 'ESIR programs. '), 'DR programs whose own pages describe an Early Specialization in IR track; not a complete list, so other DR programs show ESIR as unknown.'),
        h('li', {}, h('strong', {}, 'Schools\' NIH funding. '), 'NIH award dollars in federal fiscal year 2024 of the 50 most-funded US schools of medicine, ranked by the Blue Ridge Institute for Medical Research (brimr.org), as tabulated in the GitHub repository Tshah-95/redmank (MIT license); mapped to 421 programs whose sponsor is the school\'s university. A proxy for academic selectivity, not a measure of the program; a program without it is unknown, not low.'),
        h('li', {}, h('strong', {}, 'Places and distances. '), 'City and ZIP centroids: ', h('span', { 'data-testid': 'geonames-attribution' }, 'Contains data from GeoNames (geonames.org), CC BY 4.0')),
        h('li', {}, h('strong', {}, 'SmartPick estimates. '), 'Where no figure is published (program selectivity, medians for DO and IMG applicants, the model\'s weights), SmartPick estimates and says so: every default used for your profile is listed as an assumption.')),
      h('p', { class: 'hint' }, 'The probabilities come from a model calibrated to the published figures; they are estimates with intervals, not promises. Talk to your advisor before you apply.')),
    h('section', { class: 'card', 'aria-labelledby': 'fig-h' },
      h('h2', { id: 'fig-h' }, 'Published figures by specialty'),
      figures));
  try {
    const s = await api('GET', '/specialties');
    if (!token.live()) return;
    figures.removeAttribute('aria-busy');
    clear(figures);
    for (const sp of s.specialties || []) {
      const rows = (sp.figures || []);
      figures.append(h('details', {},
        h('summary', {}, `${sp.code} — ${sp.name} (${sp.programs_in_catalog} programs in the catalog, ${rows.length} figures)`),
        h('div', { class: 'table-wrap' }, h('table', { class: 'data compact' },
          h('thead', {}, h('tr', {}, ['figure', 'value', 'applicants', 'year', 'source'].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', {}, rows.map((f) => h('tr', {},
            h('td', {}, f.metric.replace(/_/g, ' ')),
            h('td', { class: 'num' }, f.unit === 'fraction' ? `${Math.round(f.value * 1000) / 10}%` : String(f.value)),
            h('td', {}, f.applicant_type),
            h('td', {}, String(f.year)),
            h('td', { class: 'source' }, f.source_url))))))));
    }
  } catch (e) {
    if (!token.live()) return;
    figures.removeAttribute('aria-busy');
    clear(figures).append(h('p', { class: 'muted' }, `The figures could not be loaded: ${e.message}`));
  }
}
