// The explorer: sliders rerun the scenario on the server, whose years stream back as lines
// of JSON and are drawn as they come, beside the baseline (the same territory and scale with
// every lever off). One request at a time: a new one aborts the previous.
'use strict';

(function () {
  const SETUP = JSON.parse(document.getElementById('data').textContent);
  const lang = SETUP.lang;
  const T = TEXT[lang];
  const $ = (id) => document.getElementById(id);
  const HEADLINE = 'share_without_mt_17plus_cnam';
  const client = 'p' + Math.random().toString(36).slice(2, 12);
  const years = [];
  for (let y = SETUP.years[0]; y <= SETUP.years[1]; y += 1) years.push(y);
  const state = { baseline: null, policy: null, key: '', controller: null, selected: null };

  /** A run being received: its national headline per year and the last year's map. */
  function emptyRun() {
    return { headline: years.map(() => null), total: years.map(() => null), departements: {}, last: null, done: false };
  }

  function setText() {
    $('title').textContent = SETUP.title ? SETUP.title[lang] : SETUP.scenario;
    $('facts').textContent = `${T.simulation} · ${SETUP.scenario}`;
    $('headline-label').textContent = T.headline;
    $('levers-title').textContent = T.levers;
    $('territory-label').textContent = T.territory;
    $('scale-label').textContent = T.scalePick;
    $('command-label').textContent = T.scenarioLine;
    $('curve-title').textContent = T.headline;
    $('map-title').textContent = T.map;
    $('map-info').textContent = T.mapHint;
    const legendItems = [['#777', T.baselineCurve], ['#b10026', T.policyCurve]];
    clear($('curve-legend'));
    for (const [colour, label] of legendItems) {
      const s = document.createElement('span');
      s.className = 'legend-item';
      const i = document.createElement('i');
      i.className = 'line';
      i.style.background = colour;
      s.appendChild(i);
      s.appendChild(document.createTextNode(label));
      $('curve-legend').appendChild(s);
    }
  }

  /** The territory and scale pickers; a scale too fine for a territory is greyed out. */
  function pickers() {
    const territory = $('territory');
    for (const p of SETUP.places) {
      const o = document.createElement('option');
      o.value = p.code;
      o.textContent = p.name;
      territory.appendChild(o);
    }
    territory.value = SETUP.territory;
    const scale = $('scale');
    for (const s of SETUP.scales) {
      const o = document.createElement('option');
      o.value = String(s);
      o.textContent = T.scale(s);
      scale.appendChild(o);
    }
    scale.value = String(SETUP.scale);
    const grey = () => {
      const place = SETUP.places.find((p) => p.code === territory.value);
      for (const o of scale.options) o.disabled = place && place.population / +o.value > SETUP.max_agents;
    };
    grey();
    territory.addEventListener('change', () => { grey(); restart(); });
    scale.addEventListener('change', restart);
  }

  /** One slider per lever, with its value shown as the page's language writes it. */
  function sliders() {
    const box = $('levers');
    for (const s of SETUP.sliders) {
      const div = document.createElement('div');
      div.className = 'lever';
      const label = document.createElement('label');
      label.htmlFor = 'lever-' + s.key;
      const name = document.createElement('span');
      name.textContent = s[lang];
      const value = document.createElement('span');
      value.className = 'value';
      label.appendChild(name);
      label.appendChild(value);
      const input = document.createElement('input');
      Object.assign(input, { type: 'range', id: 'lever-' + s.key, min: s.min, max: s.max, step: s.step, value: s.off });
      input.dataset.key = s.key;
      const show = () => {
        const v = +input.value;
        value.textContent = v === s.off ? T.leverOff : fmt(lang, v * s.display_factor, s.decimals) + (s.unit ? '\u202f' + s.unit : '');
      };
      show();
      input.addEventListener('input', show);
      input.addEventListener('change', () => { show(); runPolicy(); });
      div.appendChild(label);
      div.appendChild(input);
      box.appendChild(div);
    }
  }

  /** The query of a run: territory, scale and, unless `baseline`, every slider. */
  function query(baseline) {
    const q = new URLSearchParams({ client, region: $('territory').value, scale: $('scale').value });
    if (!baseline) {
      for (const s of SETUP.sliders) {
        const v = +$('lever-' + s.key).value;
        // Rounded to the step: the slider's float arithmetic must not reach the scenario.
        if (v !== s.off) q.set(s.key, String(+v.toFixed(6)));
      }
    }
    return q;
  }

  function showError(message) {
    const e = $('error');
    e.hidden = !message;
    e.textContent = message ? T.refused + message : '';
  }

  /** Receives a run's lines into `run`; resolves when done, rejects with a message. */
  async function receive(q, run, signal) {
    const response = await fetch('/api/run?' + q.toString(), { signal });
    if (!response.ok) {
      let message = response.statusText;
      try { message = (await response.json()).error; } catch (_) { /* not JSON */ }
      throw new Error(message);
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = JSON.parse(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
        if (line.type === 'start') {
          run.start = line.start;
          $('status').textContent = T.preparing(line.start.agents);
        } else if (line.type === 'year') {
          const k = years.indexOf(line.year);
          if (k >= 0) {
            run.headline[k] = line.national[HEADLINE];
            run.total[k] = line.national.share_without_mt_17plus;
          }
          run.last = line;
          $('status').textContent = T.running(line.year);
          draw();
        } else if (line.type === 'done') {
          run.done = true;
          run.elapsed = line.elapsed_s;
        } else if (line.type === 'error') {
          throw new Error(line.message);
        }
      }
    }
    if (!run.done) throw new Error('interrupted');
  }

  /** Reruns the baseline of the territory and scale, then the levers. */
  async function restart() {
    state.baseline = null;
    await runPolicy();
  }

  /** Runs what the sliders say (after the baseline if it is not there yet). */
  async function runPolicy() {
    if (state.controller) state.controller.abort();
    const controller = new AbortController();
    state.controller = controller;
    showError(null);
    const head = $('headline-value');
    head.dataset.state = 'running';
    const t0 = performance.now();
    try {
      if (!state.baseline || !state.baseline.done) {
        state.baseline = emptyRun();
        state.policy = state.baseline;
        await receive(query(true), state.baseline, controller.signal);
      }
      const q = query(false);
      if (q.toString() === query(true).toString()) {
        state.policy = state.baseline;
      } else {
        state.policy = emptyRun();
        await receive(q, state.policy, controller.signal);
      }
      if (state.controller !== controller) return;
      const start = state.policy.start;
      $('command').textContent = start ? start.command : '';
      $('command').dataset.overrides = JSON.stringify(start ? start.overrides : []);
      $('status').textContent = T.done(fmt(lang, (performance.now() - t0) / 1000, 1));
      head.dataset.state = 'done';
      draw();
    } catch (e) {
      if (e.name === 'AbortError' || state.controller !== controller) return;
      showError(e.message);
      $('status').textContent = '';
      head.dataset.state = 'error';
    }
  }

  function draw() {
    const b = state.baseline, p = state.policy;
    if (!p) return;
    const [, hi] = range([b ? b.total : [], p.total, b ? b.headline : [], p.headline], true);
    drawChart($('curve'), {
      years, yMin: 0, yMax: hi, yFormat: (v) => pct(lang, v, 0),
      lines: [
        { values: b ? b.headline : [], cls: 'baseline', label: T.baselineCurve },
        { values: p.headline, cls: 'headline', label: T.policyCurve },
      ],
      cursor: p.last ? p.last.year : null,
    });
    if (!p.last) return;
    const k = years.indexOf(p.last.year);
    const head = $('headline-value');
    head.textContent = pct(lang, p.headline[k], 1);
    head.dataset.value = String(p.headline[k]);
    head.dataset.year = String(p.last.year);
    $('headline-year').textContent = String(p.last.year);
    const diff = b && b.headline[k] !== null && p !== b ? p.headline[k] - b.headline[k] : null;
    $('headline-extra').textContent = diff === null ? '' : T.effectNow((diff > 0 ? '+' : '') + fmt(lang, 100 * diff, 2));
    const values = p.last.departements;
    const codes = Object.keys(values).sort();
    const all = Object.values(values).concat(b && b.last ? Object.values(b.last.departements) : []);
    const [lo, hi2] = spread(all);
    drawLegend($('map-legend'), SEQUENTIAL, lo, hi2, (v) => pct(lang, v, 0), true);
    const text = (code) => {
      const base = b && b.last && b.last.year === p.last.year ? b.last.departements[code] : null;
      return `${code} · ${p.last.year}\n${T.policyCurve}${T.colon}${pct(lang, values[code])}` + (base !== null && base !== undefined ? `\n${T.baselineCurve}${T.colon}${pct(lang, base)}` : '');
    };
    drawMap($('map'), {
      outlines: SETUP.outlines, focus: codes.length < 96 ? codes : [], values, lo, hi: hi2, palette: SEQUENTIAL,
      selected: state.selected,
      onHover: (code, ev) => tooltip($('tooltip'), code && text(code), ev),
      onClick: (code) => { state.selected = code; $('map-info').textContent = text(code); draw(); },
    });
  }

  setText();
  pickers();
  sliders();
  runPolicy();
})();
