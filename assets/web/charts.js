// medesert charts: the curve, the stacked reasons and the map, drawn as plain SVG.
//
// Why hand-written SVG rather than a vendored library: the pages draw three simple things (a
// curve with a band and points, stacked areas, a choropleth of départements) over a few dozen
// years, and the outlines are already in Lambert-93 kilometres, so no map library would add a
// projection we need. SVG elements are what the browser test looks for and what prints sharply;
// there is no build step, no npm at `cargo build`, and no library to keep up to date. Everything
// here is about 300 lines and has no state but what the caller passes.
'use strict';

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Creates an SVG element with attributes, appended to `parent` when given. */
function svgEl(tag, attrs, parent) {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (parent) parent.appendChild(e);
  return e;
}

/** Removes every child of an element. */
function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

/** A number in the page's language (`fr`: 12,3), `digits` decimals. */
function fmt(lang, v, digits) {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  return new Intl.NumberFormat(lang, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(v);
}

/** A share 0–1 as a percentage (`12,3 %` in French, `12.3%` in English). */
function pct(lang, v, digits = 1) {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  return fmt(lang, 100 * v, digits) + (lang === 'fr' ? '\u202f%' : '%');
}

/** Round numbers for an axis from `lo` to `hi`, about `n` of them. */
function ticks(lo, hi, n) {
  const span = hi - lo || 1;
  const raw = span / n;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) || raw;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-12; v += step) out.push(+v.toFixed(12));
  return out;
}

/**
 * Draws a chart of yearly series into `svg` (cleared first).
 * spec: { years: [..], yMin, yMax, yFormat: v => text, lines: [{ values, cls, label, dash }],
 *         stacks: [{ values, color, label }] (stacked from 0), bands: [{ lo, hi, cls }],
 *         points: [{ year, value, label }], cursor: year, zeroLine: bool }
 * A value that is null is a gap (a year not yet simulated).
 */
function drawChart(svg, spec) {
  clear(svg);
  const W = 640, H = 300, L = 56, R = 24, T = 12, B = 28;
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  const years = spec.years;
  const x0 = years[0], x1 = years[years.length - 1];
  const x = (yr) => L + ((yr - x0) / Math.max(1, x1 - x0)) * (W - L - R);
  const y = (v) => T + (1 - (v - spec.yMin) / (spec.yMax - spec.yMin || 1)) * (H - T - B);
  const axis = svgEl('g', { class: 'axis' }, svg);
  for (const v of ticks(spec.yMin, spec.yMax, 5)) {
    svgEl('line', { x1: L, x2: W - R, y1: y(v), y2: y(v), class: 'grid' }, axis);
    const t = svgEl('text', { x: L - 6, y: y(v) + 4, 'text-anchor': 'end' }, axis);
    t.textContent = spec.yFormat(v);
  }
  for (const yr of ticks(x0, x1, 8).filter(Number.isInteger)) {
    const t = svgEl('text', { x: x(yr), y: H - 8, 'text-anchor': 'middle' }, axis);
    t.textContent = String(yr);
  }
  if (spec.zeroLine && spec.yMin < 0 && spec.yMax > 0) {
    svgEl('line', { x1: L, x2: W - R, y1: y(0), y2: y(0), class: 'zero' }, axis);
  }
  // Stacked areas, from zero up, each drawn between the running total and the new one.
  const base = years.map(() => 0);
  for (const s of spec.stacks || []) {
    const top = base.map((b, i) => (s.values[i] === null ? null : b + s.values[i]));
    const idx = years.map((_, i) => i).filter((i) => top[i] !== null);
    if (idx.length) {
      const up = idx.map((i) => `${x(years[i])},${y(top[i])}`);
      const down = idx.slice().reverse().map((i) => `${x(years[i])},${y(base[i])}`);
      const area = svgEl('polygon', { points: up.concat(down).join(' '), fill: s.color, class: 'stack' }, svg);
      svgEl('title', {}, area).textContent = s.label;
    }
    idx.forEach((i) => { base[i] = top[i]; });
  }
  for (const b of spec.bands || []) {
    const idx = years.map((_, i) => i).filter((i) => b.lo[i] !== null && b.hi[i] !== null);
    if (!idx.length) continue;
    const up = idx.map((i) => `${x(years[i])},${y(b.hi[i])}`);
    const down = idx.slice().reverse().map((i) => `${x(years[i])},${y(b.lo[i])}`);
    svgEl('polygon', { points: up.concat(down).join(' '), class: 'band ' + (b.cls || '') }, svg);
  }
  for (const l of spec.lines || []) {
    const d = [];
    let pen = 'M';
    l.values.forEach((v, i) => {
      if (v === null || !Number.isFinite(v)) { pen = 'M'; return; }
      d.push(`${pen}${x(years[i]).toFixed(1)},${y(v).toFixed(1)}`);
      pen = 'L';
    });
    if (!d.length) continue;
    const path = svgEl('path', { d: d.join(''), class: 'curve ' + (l.cls || '') }, svg);
    if (l.dash) path.setAttribute('stroke-dasharray', l.dash);
    svgEl('title', {}, path).textContent = l.label;
  }
  for (const p of spec.points || []) {
    const c = svgEl('circle', { cx: x(p.year), cy: y(p.value), r: 5, class: 'observed' }, svg);
    svgEl('title', {}, c).textContent = p.label;
  }
  if (spec.cursor !== undefined && spec.cursor !== null) {
    svgEl('line', { x1: x(spec.cursor), x2: x(spec.cursor), y1: T, y2: H - B, class: 'cursor' }, svg);
  }
}

/** The smallest and largest finite values of several arrays, padded to round numbers. */
function range(arrays, floorAtZero) {
  let lo = Infinity, hi = -Infinity;
  for (const a of arrays) for (const v of a) {
    if (v === null || !Number.isFinite(v)) continue;
    lo = Math.min(lo, v); hi = Math.max(hi, v);
  }
  if (!Number.isFinite(lo)) return [0, 1];
  if (floorAtZero) lo = Math.min(0, lo);
  const pad = (hi - lo) * 0.08 || Math.abs(hi) * 0.1 || 0.01;
  return [floorAtZero && lo >= 0 ? lo : lo - pad, hi + pad];
}

/**
 * The range a map's colours span: from the smallest value to the 95th percentile, so that one
 * outlier (Corsica) does not wash the other départements out; values above it take the top
 * class, and the legend says so.
 */
function spread(values) {
  const v = values.filter((x) => x !== null && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return [0, 1];
  const hi = v[Math.min(v.length - 1, Math.floor(0.95 * (v.length - 1)))];
  return [v[0], hi > v[0] ? hi : v[0] + 1e-6];
}

// Colour scales. Sequential: ColorBrewer YlOrRd (7 classes); diverging: RdBu (7), blue where
// the share without a GP falls. Both colour-blind safe (colorbrewer2.org).
const SEQUENTIAL = ['#ffffb2', '#fed976', '#feb24c', '#fd8d3c', '#fc4e2a', '#e31a1c', '#b10026'];
const DIVERGING = ['#2166ac', '#67a9cf', '#d1e5f0', '#f7f7f7', '#fddbc7', '#ef8a62', '#b2182b'];

/** The colour of `v` on a scale from `lo` to `hi` (classes of equal width). */
function colour(palette, lo, hi, v) {
  if (v === null || v === undefined || !Number.isFinite(v)) return '#dddddd';
  const t = (v - lo) / (hi - lo || 1);
  const k = Math.min(palette.length - 1, Math.max(0, Math.floor(t * palette.length)));
  return palette[k];
}

/**
 * Draws the départements into `svg` (cleared first).
 * spec: { outlines: { viewBox: [x, y, w, h], paths: { code: d } }, focus: [codes] (framed),
 *         values: { code: v }, lo, hi, palette, format: v => text, names: { code: name },
 *         selected: code, onHover(code|null, event), onClick(code) }
 * A département without a value is drawn grey (not simulated).
 */
function drawMap(svg, spec) {
  clear(svg);
  const box = spec.focus && spec.focus.length ? focusBox(spec.outlines, spec.focus) : spec.outlines.viewBox;
  svg.setAttribute('viewBox', box.join(' '));
  const g = svgEl('g', { class: 'departements' }, svg);
  for (const [code, d] of Object.entries(spec.outlines.paths)) {
    const v = spec.values[code];
    const p = svgEl('path', {
      d,
      fill: colour(spec.palette, spec.lo, spec.hi, v),
      class: 'dep' + (v === undefined ? ' outside' : '') + (code === spec.selected ? ' selected' : ''),
      'data-code': code,
      'vector-effect': 'non-scaling-stroke',
    }, g);
    if (v === undefined) continue;
    p.addEventListener('mousemove', (ev) => spec.onHover && spec.onHover(code, ev));
    p.addEventListener('mouseleave', () => spec.onHover && spec.onHover(null));
    p.addEventListener('click', () => spec.onClick && spec.onClick(code));
  }
}

/**
 * Draws communes as dots over their départements' outlines (cleared first).
 * spec: { outlines, departements: [codes], points: [[x, y]], population: [..], values: [..],
 *         lo, hi, palette, onHover(index|null, event) }
 * A dot's area follows the commune's people; a commune without a value is grey.
 */
function drawCommunes(svg, spec) {
  drawMap(svg, { outlines: spec.outlines, focus: spec.departements, values: {}, lo: 0, hi: 1, palette: spec.palette });
  const g = svgEl('g', { class: 'communes' }, svg);
  spec.points.forEach(([x, y], i) => {
    const r = Math.min(6, Math.max(0.7, Math.sqrt(spec.population[i] / 1000) * 0.9));
    const c = svgEl('circle', { cx: x, cy: y, r, fill: colour(spec.palette, spec.lo, spec.hi, spec.values[i]), class: 'commune' }, g);
    c.addEventListener('mousemove', (ev) => spec.onHover && spec.onHover(i, ev));
    c.addEventListener('mouseleave', () => spec.onHover && spec.onHover(null));
  });
}

/** The box around some départements, with a margin (outline coordinates). */
function focusBox(outlines, codes) {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const c of codes) {
    const b = outlines.boxes[c];
    if (!b) continue;
    x0 = Math.min(x0, b[0]); y0 = Math.min(y0, b[1]); x1 = Math.max(x1, b[2]); y1 = Math.max(y1, b[3]);
  }
  if (!Number.isFinite(x0)) return outlines.viewBox;
  const m = 0.06 * Math.max(x1 - x0, y1 - y0);
  return [x0 - m, y0 - m, x1 - x0 + 2 * m, y1 - y0 + 2 * m];
}

/**
 * A legend of a colour scale: the classes and their bounds, into an HTML element; `openTop`
 * writes the last bound as "≥" (values above it share the top class).
 */
function drawLegend(node, palette, lo, hi, format, openTop) {
  clear(node);
  palette.forEach((c, k) => {
    const item = document.createElement('span');
    item.className = 'legend-item';
    const sw = document.createElement('i');
    sw.style.background = c;
    item.appendChild(sw);
    const a = lo + ((hi - lo) * k) / palette.length;
    item.appendChild(document.createTextNode(format(a)));
    if (openTop && k === palette.length - 1) item.appendChild(document.createTextNode(' –'));
    node.appendChild(item);
  });
  const end = document.createElement('span');
  end.className = 'legend-item';
  end.textContent = (openTop ? '≥ ' : '') + format(hi);
  node.appendChild(end);
}

/** Fills an HTML table: `head` an array of texts, `rows` arrays of texts. */
function fillTable(table, head, rows) {
  clear(table);
  const thead = table.createTHead().insertRow();
  for (const h of head) {
    const th = document.createElement('th');
    th.textContent = h;
    thead.appendChild(th);
  }
  const body = table.createTBody();
  for (const r of rows) {
    const tr = body.insertRow();
    for (const c of r) tr.insertCell().textContent = c;
  }
}

/** Shows a tooltip next to the pointer (or hides it with `text` null). */
function tooltip(node, text, ev) {
  if (!text) { node.hidden = true; return; }
  node.hidden = false;
  node.textContent = text;
  node.style.left = ev.clientX + 14 + 'px';
  node.style.top = ev.clientY + 14 + 'px';
}
