// The report: a run's curve, reasons, map and tables, or a comparison's effects, replayed
// year by year with the slider. Reads the data inlined by `medesert report`.
'use strict';

(function () {
  const DATA = JSON.parse(document.getElementById('data').textContent);
  const lang = DATA.lang;
  const T = TEXT[lang];
  const $ = (id) => document.getElementById(id);
  const tip = $('tooltip');
  const HEADLINE = 'share_without_mt_17plus_cnam';

  /** The slider over `years`: calls `show(k)` on every change, and the replay button. */
  function yearSlider(years, show) {
    const slider = $('year');
    slider.max = String(years.length - 1);
    slider.value = String(years.length - 1);
    $('year-label').textContent = T.year;
    const play = $('play');
    play.textContent = T.play;
    let timer = null;
    const stop = () => { clearInterval(timer); timer = null; play.textContent = T.play; };
    slider.addEventListener('input', () => show(+slider.value));
    play.addEventListener('click', () => {
      if (timer) return stop();
      let k = +slider.value >= years.length - 1 ? 0 : +slider.value;
      play.textContent = T.pause;
      slider.value = String(k);
      show(k);
      timer = setInterval(() => {
        k += 1;
        if (k >= years.length) return stop();
        slider.value = String(k);
        show(k);
      }, 600);
    });
    show(years.length - 1);
  }

  /** A legend of lines and areas: [{ colour, label, line }]. */
  function legend(node, items) {
    clear(node);
    for (const it of items) {
      const span = document.createElement('span');
      span.className = 'legend-item';
      const sw = document.createElement('i');
      sw.style.background = it.colour;
      if (it.line) sw.className = 'line';
      span.appendChild(sw);
      span.appendChild(document.createTextNode(it.label));
      node.appendChild(span);
    }
  }

  function runReport(r) {
    const years = r.years;
    const f = r.facts;
    const title = f.title ? f.title[lang] : f.scenario;
    $('title').textContent = title;
    document.title = title;
    const facts = [T.simulation];
    if (f.persons_per_agent) facts.push(T.scale(f.persons_per_agent));
    if (f.seed !== null && f.seed !== undefined) facts.push(T.seed(f.seed));
    if (f.runs) facts.push(T.runs(f.runs));
    if (f.version) facts.push('medesert ' + f.version);
    $('facts').textContent = facts.join(' · ');
    $('sources').textContent = f.sources || '';
    const nat = r.national;
    const headline = r.band ? r.band.mean : nat[HEADLINE];
    $('headline-label').textContent = T.headline;
    $('curve-title').textContent = T.headline;
    $('curve-note').textContent = T.headlineNote;
    $('reasons-title').textContent = T.reasons;
    $('map-title').textContent = T.map;
    $('map-info').textContent = T.mapHint;
    $('tables-title').textContent = T.tables;
    $('table-a-title').textContent = T.national;
    $('table-b-title').textContent = T.departements;
    // Sorted as text: a page's object lists codes like "10" before "01".
    const codes = Object.keys(r.departements).sort();
    const focus = codes.length < 96 ? codes : [];
    // One colour scale for every year, so that the replay compares years.
    const all = codes.flatMap((c) => r.departements[c].series[HEADLINE] || []);
    const [lo, hi] = spread(all);
    const observed = r.observed.map(([year, value]) => ({ year, value, label: `${T.observed} ${year}${T.colon}${pct(lang, value)}` }));
    const [cMin, cMax] = range([headline, r.band ? r.band.hi : [], nat.share_without_mt_17plus, observed.map((p) => p.value)], true);
    legend($('curve-legend'), [
      { colour: '#b10026', label: T.headline, line: true },
      { colour: '#444', label: T.headlineTotal, line: true },
    ].concat(r.band ? [{ colour: 'rgba(177,0,38,.25)', label: T.band }] : [])
      .concat(observed.length ? [{ colour: '#000', label: T.observed }] : []));
    legend($('reasons-legend'), REASONS.filter(([c]) => nat[c]).map(([c, colour]) => ({ colour, label: T.reasonNames[c] })));
    // The communes of one région, when the run wrote them: a second view of the map.
    const mode = $('map-mode');
    const communeMode = () => r.communes && mode.value === 'communes';
    let cLo = 0, cHi = 1;
    if (r.communes) {
      [cLo, cHi] = spread(r.communes.share.flat());
      T.mapModes.forEach((label, i) => {
        const o = document.createElement('option');
        o.value = i ? 'communes' : 'departements';
        o.textContent = label;
        mode.appendChild(o);
      });
      mode.hidden = false;
      mode.addEventListener('change', () => show(current));
    }
    let selected = null;
    let current = years.length - 1;
    const depText = (code, k) => {
      const u = r.departements[code];
      const s = u.series;
      return `${u.name} (${code}), ${years[k]}\n${T.columns.share_without_mt_17plus_cnam}${T.colon}${pct(lang, s[HEADLINE][k])}\n`
        + `${T.columns.gps_per_100k}${T.colon}${fmt(lang, s.gps_per_100k[k], 1)}\n${T.columns.apl_mean}${T.colon}${fmt(lang, s.apl_mean ? s.apl_mean[k] : null, 2)}`;
    };
    const show = (k) => {
      current = k;
      const year = years[k];
      const value = headline[k];
      const big = $('headline-value');
      big.textContent = pct(lang, value);
      big.dataset.value = String(value);
      big.dataset.year = String(year);
      $('headline-year').textContent = String(year);
      $('headline-extra').textContent = `${T.columns.gps_per_100k}${T.colon}${fmt(lang, nat.gps_per_100k[k], 1)} · ${T.columns.population}${T.colon}${fmt(lang, nat.population[k], 0)}`;
      drawChart($('curve'), {
        years, yMin: 0, yMax: cMax, yFormat: (v) => pct(lang, v, 0), cursor: year,
        bands: r.band ? [{ lo: r.band.lo, hi: r.band.hi }] : [],
        lines: [
          { values: nat.share_without_mt_17plus, cls: 'total', label: T.headlineTotal, dash: '4 3' },
          { values: headline, cls: 'headline', label: T.headline },
        ],
        points: observed,
      });
      drawChart($('reasons'), {
        years, yMin: 0, yMax: cMax, yFormat: (v) => pct(lang, v, 0), cursor: year,
        stacks: REASONS.filter(([c]) => nat[c]).map(([c, colour]) => ({ values: nat[c], color: colour, label: T.reasonNames[c] })),
        lines: [{ values: nat[HEADLINE], cls: 'headline', label: T.headline }],
      });
      $('map-title').textContent = communeMode() ? T.mapModes[1] : T.map;
      if (communeMode()) {
        const cv = r.communes;
        drawLegend($('map-legend'), SEQUENTIAL, cLo, cHi, (v) => pct(lang, v, 0), true);
        drawCommunes($('map'), {
          outlines: r.outlines, departements: cv.departements, points: cv.points, population: cv.population,
          values: cv.share[k], lo: cLo, hi: cHi, palette: SEQUENTIAL,
          onHover: (i, ev) => tooltip(tip, i !== null && `${cv.names[i]}, ${years[k]}\n${T.columns.share_without_mt_17plus}${T.colon}${pct(lang, cv.share[k][i])}\n${T.columns.population}${T.colon}${fmt(lang, cv.population[i], 0)}`, ev),
        });
      } else {
        drawLegend($('map-legend'), SEQUENTIAL, lo, hi, (v) => pct(lang, v, 0), true);
        const values = {};
        for (const c of codes) values[c] = r.departements[c].series[HEADLINE][k];
        drawMap($('map'), {
          outlines: r.outlines, focus, values, lo, hi, palette: SEQUENTIAL, selected,
          onHover: (code, ev) => tooltip(tip, code && depText(code, current), ev),
          onClick: (code) => { selected = code; show(current); },
        });
      }
      if (selected) $('map-info').textContent = depText(selected, k);
      const cols = ['population', 'gps_per_100k', HEADLINE, 'share_without_mt_17plus', 'apl_mean'];
      fillTable($('table-b'), [T.columns.departement, T.columns.name].concat(cols.map((c) => T.columns[c])),
        codes.map((c) => {
          const s = r.departements[c].series;
          return [c, r.departements[c].name, fmt(lang, s.population[k], 0), fmt(lang, s.gps_per_100k[k], 1),
            pct(lang, s[HEADLINE][k]), pct(lang, s.share_without_mt_17plus[k]), fmt(lang, s.apl_mean ? s.apl_mean[k] : null, 2)];
        }));
    };
    const cols = ['population', 'gps', 'gps_per_100k', HEADLINE, 'share_without_mt_17plus', 'msp_count', 'apl_mean'];
    fillTable($('table-a'), [T.columns.year].concat(cols.map((c) => T.columns[c])), years.map((y, k) => [
      String(y), fmt(lang, nat.population[k], 0), fmt(lang, nat.gps[k], 0), fmt(lang, nat.gps_per_100k[k], 1),
      pct(lang, nat[HEADLINE][k]), pct(lang, nat.share_without_mt_17plus[k]), fmt(lang, nat.msp_count[k], 0),
      fmt(lang, nat.apl_mean ? nat.apl_mean[k] : null, 2),
    ]));
    yearSlider(years, show);
  }

  function compareReport(c) {
    const years = c.years;
    const title = `${T.comparison}${T.colon}${c.territory}`;
    $('title').textContent = title;
    document.title = title;
    $('facts').textContent = [T.simulation, c.replicates ? T.runs(c.replicates) : ''].filter(Boolean).join(' · ');
    $('headline-label').textContent = T.effect;
    $('curve-title').textContent = T.effect;
    $('curve-note').textContent = T.headlineTotal;
    $('reasons-box').hidden = true;
    $('tables-title').textContent = T.tables;
    $('table-a-title').textContent = T.policy;
    $('table-b-title').textContent = T.national;
    $('map-info').textContent = T.mapHint;
    const pt = (v, d = 2) => {
      if (!Number.isFinite(v)) return '–';
      const r = Math.abs(v) < 0.5 * Math.pow(10, -d - 2) ? 0 : v;
      return (r > 0 ? '+' : '') + fmt(lang, 100 * r, d);
    };
    const pick = $('policy-pick');
    c.policies.forEach((p, i) => { const o = document.createElement('option'); o.value = String(i); o.textContent = p.name; pick.appendChild(o); });
    pick.hidden = c.policies.length < 2;
    const [eMin, eMax] = range(c.policies.flatMap((p) => [p.low, p.high]).concat([[0]]), false);
    legend($('curve-legend'), c.policies.map((p, i) => ({ colour: ['#2166ac', '#1b9e77', '#d95f02', '#7570b3', '#e7298a', '#66a61e'][i % 6], label: p.name, line: true })));
    let current = years.length - 1;
    const show = (k) => {
      current = k;
      const p = c.policies[+pick.value || 0];
      const big = $('headline-value');
      big.textContent = `${pt(p.effect[k])} ${T.points}`;
      big.dataset.value = String(p.effect[k]);
      big.dataset.year = String(years[k]);
      $('headline-year').textContent = String(years[k]);
      $('headline-extra').textContent = `${p.name}${T.colon}${T.interval(pt(p.low[k]), pt(p.high[k]))} · ${T.baseline} ${pct(lang, c.baseline[k], 2)} → ${pct(lang, p.value[k], 2)}`;
      drawChart($('curve'), {
        years, yMin: eMin, yMax: eMax, yFormat: (v) => pt(v, 1), cursor: years[k], zeroLine: true,
        bands: c.policies.map((q) => ({ lo: q.low, hi: q.high, cls: 'policy' })),
        lines: c.policies.map((q, i) => ({ values: q.effect, cls: 'policy-' + (i % 6), label: q.name })),
      });
      const values = {};
      for (const [code, e] of Object.entries(p.departements)) values[code] = e[0];
      const m = Math.max(1e-6, ...c.policies.flatMap((q) => Object.values(q.departements).map((e) => Math.abs(e[0]))));
      $('map-title').textContent = T.effectMap(c.map_year) + ' — ' + p.name;
      drawLegend($('map-legend'), DIVERGING, -m, m, (v) => pt(v, 1));
      drawMap($('map'), {
        outlines: c.outlines, focus: Object.keys(values).length < 96 ? Object.keys(values) : [], values, lo: -m, hi: m, palette: DIVERGING,
        onHover: (code, ev) => tooltip(tip, code && `${c.names[code] || code} (${code}), ${c.map_year}\n${pt(p.departements[code][0])} ${T.points} ${T.interval(pt(p.departements[code][1]), pt(p.departements[code][2]))}`, ev),
        onClick: () => {},
      });
    };
    const pick3 = [2030, 2035, 2040].filter((y) => years.includes(y));
    const eur = (v, d) => (Number.isFinite(v) ? fmt(lang, v, d) : '–');
    fillTable($('table-a'), [T.policy].concat(pick3.map(T.effectYear), [T.gained, T.cost, T.costPer]), c.policies.map((p) => {
      const at = (y) => { const k = years.indexOf(y); return `${pt(p.effect[k])} ${T.interval(pt(p.low[k]), pt(p.high[k]))}`; };
      const perPy = p.cost && p.cost[0] === 0 ? T.noCost : p.cost_per_person_year === null ? T.noGain : eur(p.cost_per_person_year, 0);
      return [p.name].concat(pick3.map(at), [p.gained ? eur(p.gained[0], 0) : '–', p.cost ? eur(p.cost[0] / 1e6, 1) : '–', perPy]);
    }));
    fillTable($('table-b'), [T.columns.year, T.baseline].concat(c.policies.flatMap((p) => [p.name, T.effectYear('')])),
      years.map((y, k) => [String(y), pct(lang, c.baseline[k], 2)].concat(c.policies.flatMap((p) => [pct(lang, p.value[k], 2), pt(p.effect[k])]))));
    pick.addEventListener('change', () => show(current));
    yearSlider(years, show);
  }

  if (DATA.kind === 'compare') compareReport(DATA.compare);
  else runReport(DATA.run);
})();
