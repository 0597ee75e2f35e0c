// charts.js - SVG charts built from API numbers: interval bars (assessment), the
// diminishing-returns curves of a plan (P(match) and cost against applications) and legends.
// Colors come from style.css classes (s-IR, s-DR, ...), never from inline styles.

import { svg, h, pct0, pctInterval, usd } from './util.js';

/* A horizontal bar 0-100% with the 80% interval as a band and the estimate as a marker;
 * the scale marks 50% and 80%, the guide's at-risk and highly competitive cut-offs. */
export function intervalBar(p, lo, hi, label) {
  const W = 600;
  const L = 16;
  const R = 20;
  const x = (v) => L + Math.max(0, Math.min(1, v)) * (W - L - R);
  const ticks = [0, 0.5, 0.8, 1];
  return svg('svg', {
    viewBox: `0 0 ${W} 38`, class: 'ibar', role: 'img',
    'aria-label': `${label}: ${pct0(p)}, 80% interval ${pctInterval(lo, hi)}`,
  },
  svg('rect', { class: 'ibar-track', x: L, y: 6, width: W - L - R, height: 12, rx: 3 }),
  svg('rect', { class: 'ibar-fill', x: L, y: 6, width: x(p) - L, height: 12, rx: 3 }),
  svg('rect', { class: 'ibar-band', x: x(lo), y: 2, width: Math.max(1, x(hi) - x(lo)), height: 20, rx: 3 }),
  ticks.map((t) => [
    svg('line', { class: 'ibar-tick', x1: x(t), x2: x(t), y1: 0, y2: 26 }),
    svg('text', { class: 'ibar-label', x: x(t), y: 36, 'text-anchor': 'middle' }, `${Math.round(t * 100)}%`),
  ]),
  svg('rect', { class: 'ibar-mark', x: x(p) - 2, y: 0, width: 4, height: 24, rx: 1 }));
}

/* A plain 0-1 meter bar (fit scores, rank probabilities). */
export function meter(v, label, cls = '') {
  const W = 200;
  return svg('svg', { viewBox: `0 0 ${W} 12`, class: `meter ${cls}`, role: 'img', preserveAspectRatio: 'none', 'aria-label': label },
    svg('rect', { class: 'ibar-track', x: 0, y: 1, width: W, height: 10, rx: 2 }),
    svg('rect', { class: 'ibar-fill', x: 0, y: 1, width: Math.max(0, Math.min(1, v)) * W, height: 10, rx: 2 }));
}

function niceStep(range, target) {
  const raw = range / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * mag >= raw) return m * mag;
  return 10 * mag;
}

/* The diminishing-returns chart of a plan. */
export function curveChart(plan) {
  // Drawn at about the size it is shown, so the text stays readable on a phone.
  const avail = typeof window !== 'undefined' ? window.innerWidth - 48 : 760;
  const W = Math.max(320, Math.min(760, avail));
  const H = W < 500 ? 300 : 380;
  const M = { l: 54, r: W < 500 ? 56 : 70, t: 18, b: 48 };
  const pw = W - M.l - M.r;
  const ph = H - M.t - M.b;
  const overall = plan.curve || [];
  const bySpec = plan.curves_by_specialty || {};
  const specs = Object.keys(bySpec).filter((k) => (bySpec[k] || []).length);
  const allPts = overall.concat(...specs.map((k) => bySpec[k]));
  const xMax = Math.max(10, ...allPts.map((p) => p.n_applications));
  const cMaxRaw = Math.max(1, ...allPts.map((p) => p.cost_usd));
  const cStep = niceStep(cMaxRaw, 5);
  const cMax = Math.ceil(cMaxRaw / cStep) * cStep;
  const x = (n) => M.l + (n / xMax) * pw;
  const y = (p) => M.t + (1 - p) * ph;
  const yc = (c) => M.t + (1 - c / cMax) * ph;
  const line = (pts, f) => pts.map((p, i) => `${i ? 'L' : 'M'}${x(p.n_applications).toFixed(1)},${f(p).toFixed(1)}`).join('');

  const nPlan = (plan.programs || []).length;
  const atPlan = overall.find((p) => p.n_applications === nPlan);
  const g = svg('g', {});
  // grid and axes
  for (let p = 0; p <= 1.0001; p += 0.2) {
    g.append(svg('line', { class: 'grid', x1: M.l, x2: M.l + pw, y1: y(p), y2: y(p) }),
      svg('text', { class: 'tick', x: M.l - 6, y: y(p) + 4, 'text-anchor': 'end' }, pct0(p)));
  }
  const xStep = niceStep(xMax, W < 500 ? 4 : 8);
  for (let n = 0; n <= xMax; n += xStep) {
    g.append(svg('line', { class: 'grid', x1: x(n), x2: x(n), y1: M.t, y2: M.t + ph }),
      svg('text', { class: 'tick', x: x(n), y: M.t + ph + 16, 'text-anchor': 'middle' }, String(n)));
  }
  for (let c = 0; c <= cMax + 0.001; c += cStep) {
    g.append(svg('text', { class: 'tick cost', x: M.l + pw + 6, y: yc(c) + 4 }, `$${Math.round(c).toLocaleString('en-US')}`));
  }
  g.append(
    svg('line', { class: 'axis', x1: M.l, x2: M.l + pw, y1: M.t + ph, y2: M.t + ph }),
    svg('line', { class: 'axis', x1: M.l, x2: M.l, y1: M.t, y2: M.t + ph }),
    svg('text', { class: 'axis-label', x: M.l + pw / 2, y: H - 8, 'text-anchor': 'middle' }, 'number of applications'),
    svg('text', { class: 'axis-label', x: 14, y: M.t + ph / 2, transform: `rotate(-90 14 ${M.t + ph / 2})`, 'text-anchor': 'middle' }, 'P(match)'),
    svg('text', { class: 'axis-label cost', x: W - 10, y: M.t + ph / 2, transform: `rotate(90 ${W - 10} ${M.t + ph / 2})`, 'text-anchor': 'middle' }, 'application fees'));
  if (typeof plan.target_p_match === 'number') {
    g.append(svg('line', { class: 'target', x1: M.l, x2: M.l + pw, y1: y(plan.target_p_match), y2: y(plan.target_p_match) }),
      svg('text', { class: 'note-text target-label', x: M.l - 6, y: y(plan.target_p_match) + 4, 'text-anchor': 'end' }, 'target'));
  }
  // series
  for (const k of specs) g.append(svg('path', { class: `line spec s-${k}`, d: line(bySpec[k], (p) => y(p.p_match_any)) }));
  if (overall.length) {
    g.append(svg('path', { class: 'line cost', d: line(overall, (p) => yc(p.cost_usd)) }),
      svg('path', { class: 'line overall', d: line(overall, (p) => y(p.p_match_any)) }));
  }
  if (nPlan) {
    const label = atPlan ? `your plan: ${nPlan} (${pct0(atPlan.p_match_any)})` : `your plan: ${nPlan}`;
    const anchor = x(nPlan) > M.l + pw * 0.7 ? 'end' : 'start';
    g.append(svg('line', { class: 'plan-mark', x1: x(nPlan), x2: x(nPlan), y1: M.t, y2: M.t + ph }),
      svg('text', { class: 'note-text strong', x: x(nPlan) + (anchor === 'end' ? -4 : 4), y: M.t + ph - 8, 'text-anchor': anchor }, label));
  }

  // hover read-out
  const cross = svg('g', { class: 'crosshair', visibility: 'hidden' });
  const cLine = svg('line', { class: 'cross-line', y1: M.t, y2: M.t + ph });
  const box = svg('rect', { class: 'cross-box', width: 190, rx: 4 });
  const txt = svg('text', { class: 'cross-text' });
  cross.append(cLine, box, txt);
  const overlay = svg('rect', { x: M.l, y: M.t, width: pw, height: ph, class: 'overlay' });
  const root = svg('svg', {
    viewBox: `0 0 ${W} ${H}`, class: 'curve-chart', role: 'img', 'aria-labelledby': 'curve-title curve-desc',
    'data-testid': 'curve-chart',
  },
  svg('title', { id: 'curve-title' }, 'Diminishing returns: P(match) and application fees against the number of applications'),
  svg('desc', { id: 'curve-desc' }, atPlan
    ? `At the plan's ${nPlan} applications P(match anywhere) is ${pct0(atPlan.p_match_any)} for ${usd(atPlan.cost_usd)} in application fees. The table below the chart lists the values.`
    : 'The table below the chart lists the values.'),
  g, cross, overlay);
  const spanOf = (n) => {
    const rows = [];
    const o = overall.find((p) => p.n_applications === n);
    if (o) rows.push(`all: ${pct0(o.p_match_any)}, ${usd(o.cost_usd)}`);
    for (const k of specs) {
      const p = bySpec[k].find((q) => q.n_applications === n);
      if (p) rows.push(`${k} alone: ${pct0(p.p_match_any)}`);
    }
    return rows;
  };
  overlay.addEventListener('pointermove', (ev) => {
    const pt = root.createSVGPoint();
    pt.x = ev.clientX;
    pt.y = ev.clientY;
    const loc = pt.matrixTransform(root.getScreenCTM().inverse());
    const n = Math.max(1, Math.min(xMax, Math.round(((loc.x - M.l) / pw) * xMax)));
    const rows = [`${n} application${n === 1 ? '' : 's'}`].concat(spanOf(n));
    cLine.setAttribute('x1', x(n));
    cLine.setAttribute('x2', x(n));
    const bx = x(n) + 200 > W ? x(n) - 198 : x(n) + 8;
    box.setAttribute('x', bx);
    box.setAttribute('y', M.t + 4);
    box.setAttribute('height', 8 + rows.length * 16);
    while (txt.firstChild) txt.removeChild(txt.firstChild);
    rows.forEach((r, i) => txt.append(svg('tspan', { x: bx + 8, y: M.t + 20 + i * 16 }, r)));
    cross.setAttribute('visibility', 'visible');
  });
  overlay.addEventListener('pointerleave', () => cross.setAttribute('visibility', 'hidden'));

  const items = [{ cls: 'overall', label: 'P(match anywhere), the plan\'s order of adding programs', line: true },
    { cls: 'cost', label: 'application fees (right axis)', line: true }]
    .concat(specs.map((k) => ({ cls: `spec s-${k}`, label: `P(match) applying to ${k} alone`, line: true })));

  // a data table for screen readers and exact numbers
  const marks = new Set([1, 5, 10, 15, 20, 30, 40, 50, 60, 80, 100, 120, 150, 200, nPlan]);
  const ns = [...marks].filter((n) => n <= xMax).sort((a, b) => a - b);
  const table = h('table', { class: 'data compact' },
    h('caption', {}, 'P(match) by number of applications'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'applications'), h('th', { scope: 'col' }, 'P(match anywhere)'),
      h('th', { scope: 'col' }, 'fees'), specs.map((k) => h('th', { scope: 'col' }, `${k} alone`)))),
    h('tbody', {}, ns.map((n) => {
      const o = overall.find((p) => p.n_applications === n);
      return h('tr', { class: n === nPlan ? 'highlight' : null },
        h('th', { scope: 'row' }, n === nPlan ? `${n} (plan)` : String(n)),
        h('td', {}, o ? pct0(o.p_match_any) : '—'),
        h('td', {}, o ? usd(o.cost_usd) : '—'),
        specs.map((k) => {
          const p = bySpec[k].find((q) => q.n_applications === n);
          return h('td', {}, p ? pct0(p.p_match_any) : '—');
        }));
    })));
  return h('figure', { class: 'chart' }, root,
    h('figcaption', {}, legend(items),
      h('details', {}, h('summary', {}, 'Show the numbers'), h('div', { class: 'table-wrap' }, table))));
}

/* A legend <ul> of [{cls, label}]: swatches are SVG so the colors come from style.css. */
export function legend(items) {
  return h('ul', { class: 'legend' }, items.map((it) => h('li', {},
    svg('svg', { viewBox: '0 0 16 16', width: 16, height: 16, 'aria-hidden': 'true', class: 'swatch' },
      it.line
        ? svg('line', { x1: 1, y1: 8, x2: 15, y2: 8, class: `line ${it.cls}` })
        : svg('circle', { cx: 8, cy: 8, r: it.r || 6, class: `marker ${it.cls}` })),
    ' ', it.label)));
}
