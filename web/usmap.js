// usmap.js - an SVG map of the United States with program markers.
// The outline is approximate (hand-placed coastline and border points, longitude/latitude in
// degrees); the contiguous states use an Albers equal-area conic projection (standard
// parallels 29.5°N and 45.5°N, the usual one for US maps); Hawaii and Puerto Rico are insets.

import { svg } from './util.js';

const CONUS = [
  [-124.7, 48.4], [-123.0, 49.0], [-110.0, 49.0], [-95.2, 49.0], [-95.2, 49.4], [-94.6, 48.7],
  [-91.4, 48.05], [-89.6, 48.0], [-88.4, 48.3], [-84.9, 46.9], [-84.1, 46.5], [-83.6, 46.1],
  [-82.4, 45.3], [-82.1, 43.0], [-83.1, 42.3], [-82.9, 41.9], [-81.0, 42.2], [-79.0, 42.9],
  [-79.2, 43.5], [-76.3, 44.2], [-75.0, 44.9], [-71.5, 45.0], [-70.9, 45.3], [-70.3, 45.9],
  [-69.2, 47.4], [-68.2, 47.35], [-67.8, 47.0], [-67.8, 45.7], [-67.0, 44.9], [-68.9, 44.3],
  [-70.2, 43.7], [-70.6, 42.9], [-71.0, 42.3], [-70.0, 41.8], [-70.6, 41.5], [-71.9, 41.3],
  [-73.6, 41.0], [-74.0, 40.6], [-74.1, 39.7], [-74.9, 38.9], [-75.1, 38.3], [-75.9, 37.2],
  [-76.0, 36.9], [-75.5, 35.3], [-76.5, 34.7], [-77.9, 33.9], [-79.2, 33.2], [-80.8, 32.1],
  [-81.4, 30.7], [-81.0, 29.2], [-80.6, 28.4], [-80.0, 26.7], [-80.2, 25.5], [-81.0, 25.1],
  [-81.7, 25.9], [-82.6, 27.5], [-82.8, 29.0], [-84.0, 30.1], [-85.4, 29.7], [-86.5, 30.4],
  [-88.0, 30.6], [-89.4, 30.2], [-89.2, 29.2], [-90.5, 29.1], [-91.8, 29.5], [-93.8, 29.7],
  [-94.8, 29.3], [-96.8, 28.1], [-97.4, 27.3], [-97.2, 25.9], [-99.1, 26.4], [-99.5, 27.5],
  [-101.0, 29.4], [-102.4, 29.8], [-103.1, 29.0], [-104.5, 29.6], [-106.5, 31.8], [-108.2, 31.8],
  [-108.2, 31.3], [-111.1, 31.3], [-114.8, 32.5], [-117.1, 32.5], [-118.5, 34.0], [-120.6, 34.6],
  [-121.9, 36.6], [-122.5, 37.8], [-123.8, 39.8], [-124.4, 40.4], [-124.2, 42.0], [-124.1, 43.7],
  [-123.9, 46.2], [-124.1, 47.0], [-124.7, 48.4],
];

const LAKES = [
  // Superior
  [[-92.1, 46.75], [-91.0, 46.9], [-90.0, 46.6], [-88.4, 47.0], [-87.6, 46.5], [-86.5, 46.5],
    [-85.0, 46.75], [-84.6, 46.45], [-84.8, 46.9], [-85.0, 47.5], [-86.5, 48.7], [-88.3, 48.8],
    [-89.3, 48.4], [-90.0, 47.9], [-91.5, 47.2]],
  // Michigan
  [[-87.8, 42.0], [-87.5, 41.6], [-86.6, 41.9], [-86.2, 42.8], [-86.5, 43.6], [-86.2, 44.5],
    [-85.6, 45.1], [-85.0, 45.7], [-84.8, 45.9], [-85.5, 46.1], [-86.6, 45.9], [-87.0, 45.2],
    [-87.6, 44.6], [-87.7, 43.8], [-87.9, 43.0]],
  // Huron
  [[-84.6, 45.8], [-83.5, 45.4], [-83.3, 44.9], [-83.4, 44.3], [-83.9, 43.9], [-83.4, 43.9],
    [-82.6, 43.0], [-81.7, 43.3], [-81.7, 44.2], [-80.9, 44.7], [-81.3, 45.3], [-82.4, 45.9],
    [-83.6, 46.1], [-84.3, 46.2]],
  // Erie
  [[-83.4, 41.7], [-82.7, 41.45], [-81.7, 41.5], [-80.5, 41.95], [-79.0, 42.5], [-79.5, 42.85],
    [-80.6, 42.6], [-81.8, 42.3], [-83.0, 42.05]],
  // Ontario
  [[-79.2, 43.25], [-78.0, 43.35], [-76.6, 43.4], [-76.2, 43.6], [-76.3, 44.2], [-77.3, 43.95],
    [-78.6, 43.9], [-79.5, 43.7], [-79.8, 43.3]],
];

const HAWAII = [
  [[-155.9, 20.2], [-155.1, 19.7], [-154.8, 19.5], [-155.6, 18.9], [-155.9, 19.1], [-156.05, 19.7]],
  [[-156.7, 20.95], [-156.0, 20.8], [-156.2, 20.6], [-156.5, 20.6], [-156.7, 20.8]],
  [[-157.3, 21.2], [-156.7, 21.15], [-156.75, 21.08], [-157.25, 21.1]],
  [[-158.28, 21.58], [-157.98, 21.7], [-157.65, 21.3], [-158.1, 21.29]],
  [[-159.8, 22.1], [-159.3, 22.2], [-159.35, 21.9], [-159.7, 21.95]],
];

const PUERTO_RICO = [[[-67.27, 18.37], [-66.0, 18.47], [-65.6, 18.3], [-65.7, 18.0], [-66.5, 17.95], [-67.2, 17.95]]];

const RAD = Math.PI / 180;

function albers(lon, lat) {
  const p1 = 29.5 * RAD;
  const p2 = 45.5 * RAD;
  const p0 = 37.5 * RAD;
  const l0 = -96 * RAD;
  const n = (Math.sin(p1) + Math.sin(p2)) / 2;
  const C = Math.cos(p1) ** 2 + 2 * n * Math.sin(p1);
  const r0 = Math.sqrt(C - 2 * n * Math.sin(p0)) / n;
  const r = Math.sqrt(C - 2 * n * Math.sin(lat * RAD)) / n;
  const t = n * (lon * RAD - l0);
  return [r * Math.sin(t), r0 - r * Math.cos(t)]; // x east, y north
}

// viewBox: 0 0 960 600. The contiguous states fill 20..940 x 20..560.
const W = 960;
const H = 600;
const conusProj = (() => {
  const pts = CONUS.map(([lo, la]) => albers(lo, la));
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  const minX = Math.min(...xs);
  const maxX = Math.max(...xs);
  const minY = Math.min(...ys);
  const maxY = Math.max(...ys);
  const s = Math.min((W - 40) / (maxX - minX), (H - 70) / (maxY - minY));
  return (lon, lat) => {
    const [x, y] = albers(lon, lat);
    return [20 + (x - minX) * s, 20 + (maxY - y) * s];
  };
})();

function equirect(box, bounds) {
  // bounds [lonMin, latMin, lonMax, latMax] into box [x, y, w, h]
  const [lo0, la0, lo1, la1] = bounds;
  const k = Math.cos(((la0 + la1) / 2) * RAD);
  const sx = box[2] / ((lo1 - lo0) * k);
  const sy = box[3] / (la1 - la0);
  const s = Math.min(sx, sy);
  return (lon, lat) => [box[0] + (lon - lo0) * k * s, box[1] + (la1 - lat) * s];
}

const REGIONS = [
  { id: 'hi', label: 'Hawaii', bounds: [-160.5, 18.7, -154.6, 22.4], box: [40, 500, 170, 80], shapes: HAWAII,
    has: (lon, lat) => lon < -150 && lat < 25 },
  { id: 'pr', label: 'Puerto Rico', bounds: [-67.5, 17.8, -65.4, 18.6], box: [770, 530, 150, 50], shapes: PUERTO_RICO,
    has: (lon, lat) => lon > -68 && lon < -65 && lat > 17 && lat < 19 },
];

function pathOf(rings, proj) {
  return rings.map((ring) => 'M' + ring.map(([lo, la]) => proj(lo, la).map((v) => v.toFixed(1)).join(',')).join('L') + 'Z').join('');
}

/* Where a program goes on the map: [x, y] or null. */
export function project(lon, lat) {
  if (typeof lon !== 'number' || typeof lat !== 'number') return null;
  for (const r of REGIONS) if (r.has(lon, lat)) return equirect(r.box, r.bounds)(lon, lat);
  if (lon > -125.5 && lon < -66 && lat > 24 && lat < 49.6) return conusProj(lon, lat);
  return null;
}

/* usMap({points: [{lon, lat, cls, r, title}], label, testid}) -> <svg> */
export function usMap({ points, label, desc, testid }) {
  const titleId = `map-title-${Math.random().toString(36).slice(2, 8)}`;
  const root = svg('svg', {
    viewBox: `0 0 ${W} ${H}`, class: 'us-map', role: 'img', 'aria-labelledby': `${titleId} ${titleId}-d`,
    'data-testid': testid || null,
  },
  svg('title', { id: titleId }, label || 'Map of the United States'),
  svg('desc', { id: `${titleId}-d` }, desc || ''),
  svg('path', { class: 'land', d: pathOf([CONUS], conusProj) }),
  svg('path', { class: 'lake', d: pathOf(LAKES, conusProj) }));
  const used = new Set();
  for (const p of points) {
    for (const r of REGIONS) if (r.has(p.lon, p.lat)) used.add(r.id);
  }
  for (const r of REGIONS) {
    if (!used.has(r.id)) continue;
    const [x, y, w, hh] = r.box;
    root.append(
      svg('rect', { class: 'inset', x: x - 8, y: y - 18, width: w + 16, height: hh + 26, rx: 4 }),
      svg('text', { class: 'inset-label', x: x - 2, y: y - 5 }, r.label),
      svg('path', { class: 'land', d: pathOf(r.shapes, equirect(r.box, r.bounds)) }));
  }
  // markers keep a visible size when the map is drawn small (a phone)
  const shown = typeof window !== 'undefined' ? Math.max(300, Math.min(W, window.innerWidth - 40)) : W;
  const k = Math.min(2.2, W / shown);
  // draw larger markers first so small ones stay visible
  const sorted = points.slice().sort((a, b) => (b.r || 5) - (a.r || 5));
  for (const p of sorted) {
    const xy = project(p.lon, p.lat);
    if (!xy) continue;
    root.append(svg('circle', {
      cx: xy[0].toFixed(1), cy: xy[1].toFixed(1), r: ((p.r || 5) * k).toFixed(1), class: `marker ${p.cls || ''}`,
      'data-id': p.id || null,
    }, svg('title', {}, p.title || '')));
  }
  return root;
}
