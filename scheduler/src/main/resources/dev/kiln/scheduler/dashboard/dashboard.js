// Kiln farm dashboard: renders the JSON snapshots /events pushes every second. No library, no CDN.
'use strict';

const SVG = 'http://www.w3.org/2000/svg';
const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c == null ? '' : String(c)));
  return e;
}

function svg(tag, attrs) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

function ms(v) {
  if (v == null || v < 0) return '–';
  if (v < 1000) return v + ' ms';
  if (v < 60000) return (v / 1000).toFixed(1) + ' s';
  return Math.floor(v / 60000) + ' min ' + Math.round((v % 60000) / 1000) + ' s';
}

function bytes(v) {
  if (v < 1024) return v + ' B';
  if (v < 1048576) return (v / 1024).toFixed(1) + ' KiB';
  return (v / 1048576).toFixed(1) + ' MiB';
}

function link(param, value) {
  return value ? el('a', { href: '/actions?' + param + '=' + encodeURIComponent(value) }, value) : '';
}

function rows(table, list, row, empty) {
  const body = $(table).tBodies[0];
  body.replaceChildren(...(list.length ? list.map(row) : [el('tr', { class: 'empty' }, el('td', { colspan: '10' }, empty))]));
}

function tiles(s) {
  const slots = s.workers.reduce((a, w) => a + w.slots, 0), busy = s.workers.reduce((a, w) => a + w.busy, 0);
  const m = s.minutes.reduce((a, x) => ({ hits: a.hits + x.hits, executed: a.executed + x.executed, failed: a.failed + x.failed }),
    { hits: 0, executed: 0, failed: 0 });
  const all = m.hits + m.executed;
  $('workers-count').textContent = s.workers.length;
  $('slots').textContent = busy + ' / ' + slots;
  $('inflight-count').textContent = s.inFlight.length;
  $('actions-hour').textContent = all;
  $('hit-rate').textContent = all ? Math.round(100 * m.hits / all) + '%' : '–';
  $('failures-hour').textContent = m.failed;
}

function axes(box, max, label) {
  box.replaceChildren();
  for (let i = 0; i <= 4; i++) {
    const y = 150 - i * 35;
    box.append(svg('line', { x1: 0, x2: 600, y1: y, y2: y, class: 'grid' }));
    const t = svg('text', { x: 2, y: y - 2, class: 'axis' });
    t.textContent = label(max * i / 4);
    box.append(t);
  }
}

function throughput(minutes) {
  const box = $('throughput');
  const max = 4 * Math.max(1, Math.ceil(Math.max(...minutes.map((m) => m.hits + m.executed)) / 4)); // whole numbers on the axis
  axes(box, max, (v) => Math.round(v));
  const w = 600 / minutes.length;
  minutes.forEach((m, i) => {
    let y = 150;
    for (const [n, cls] of [[m.hits, 'b-hit'], [m.executed - m.failed, 'b-run'], [Math.min(m.failed, m.executed), 'b-fail']]) {
      if (n <= 0) continue;
      const h = 140 * n / max;
      y -= h;
      const r = svg('rect', { x: i * w + 1, y: y, width: Math.max(1, w - 2), height: h, class: cls });
      const tip = svg('title', {});
      tip.textContent = new Date(m.minute).toLocaleTimeString() + ': ' + m.hits + ' hits, ' + m.executed + ' executed, ' + m.failed + ' failed';
      r.append(tip);
      box.append(r);
    }
  });
}

function hitRate(minutes) {
  const box = $('hitrate');
  axes(box, 100, (v) => Math.round(v) + '%');
  const w = 600 / minutes.length;
  const pts = [];
  minutes.forEach((m, i) => {
    const all = m.hits + m.executed;
    if (all) pts.push([i * w + w / 2, 150 - 140 * m.hits / all]);
  });
  if (!pts.length) return;
  const line = pts.map((p, i) => (i ? 'L' : 'M') + p[0].toFixed(1) + ' ' + p[1].toFixed(1)).join(' ');
  box.append(svg('path', { d: line + ' L' + pts[pts.length - 1][0].toFixed(1) + ' 150 L' + pts[0][0].toFixed(1) + ' 150 Z', class: 'rate-area' }));
  box.append(svg('path', { d: line, class: 'rate' }));
  for (const p of pts) box.append(svg('circle', { cx: p[0], cy: p[1], r: 3, class: 'b-hit' }));
}

function workers(s) {
  $('workers-error').textContent = s.workersError || '';
  const cards = s.workers.map((w) => {
    const slots = el('div', { class: 'slots', title: w.busy + ' of ' + w.slots + ' slots busy' });
    for (let i = 0; i < w.slots; i++) slots.append(el('span', { class: i < w.busy ? 'slot busy' : 'slot' }));
    const running = el('ul', {}, ...w.running.map((r) => el('li', {}, (r.label || r.action.slice(0, 12)) + ' · ' + (r.user || '?') + ' · ' + ms(r.ageMs))));
    return el('div', { class: 'worker', 'data-worker': w.id },
      el('h3', {}, w.id), el('div', { class: 'meta' }, w.host + (w.pool ? ' · pool ' + w.pool : '') + ' · ' + w.busy + '/' + w.slots + ' busy'),
      slots, el('div', { class: 'meta' }, w.compilers.length ? 'compilers: ' + w.compilers.join(', ') : 'no compiler announced'), running);
  });
  $('workers').replaceChildren(...(cards.length ? cards : [el('p', { class: 'empty' }, 'no live worker')]));
}

function phases(p) {
  const bar = el('div', { class: 'phases', title: 'queue ' + ms(p.queued) + ', inputs ' + ms(p.inputFetch) + ', run ' + ms(p.execution) + ', upload ' + ms(p.upload) });
  if (p.total > 0) {
    for (const [v, cls] of [[p.queued, 'p-queue'], [p.inputFetch, 'p-fetch'], [p.execution, 'p-run'], [p.upload, 'p-upload']]) {
      const span = el('span', { class: cls });
      span.style.width = (100 * Math.max(0, v) / p.total).toFixed(1) + '%';
      bar.append(span);
    }
  }
  return el('div', {}, bar, el('small', {}, p.total >= 0 ? ms(p.total) : 'from cache'));
}

function render(s) {
  $('node').textContent = 'front node ' + s.node + ' · ' + new Date(s.timeMs).toLocaleTimeString();
  tiles(s);
  throughput(s.minutes);
  hitRate(s.minutes);
  workers(s);
  rows('inflight', s.inFlight, (f) => el('tr', { class: f.stage.toLowerCase() }, el('td', {}, link('user', f.user)), el('td', {}, link('build', f.build)),
    el('td', { title: f.action }, f.label || f.action.slice(0, 16)), el('td', {}, f.stage.toLowerCase()), el('td', {}, f.worker), el('td', {}, ms(f.ageMs))),
    'nothing in flight');
  rows('recent', s.recent, (r) => el('tr', { class: r.status === 'ok' ? r.cache : r.status, 'data-status': r.status },
    el('td', {}, new Date(r.finishedMs).toLocaleTimeString()), el('td', {}, link('user', r.user)), el('td', {}, link('build', r.build)),
    el('td', { title: r.action }, r.label || r.action.slice(0, 16)), el('td', { class: 'cache' }, r.cache === 'hit' ? 'cache hit' : 'executed'),
    el('td', { class: 'outcome' }, r.status === 'ok' ? 'ok' : r.status + (r.exitCode ? ' (exit ' + r.exitCode + ')' : '')),
    el('td', {}, r.worker), el('td', {}, phases(r.phasesMs)), el('td', {}, r.outputs + ' · ' + bytes(r.outputBytes)),
    el('td', { class: 'reason' }, r.reason)), 'no action finished yet');
  const most = Math.max(1, ...s.users.map((u) => u.actions));
  rows('users', s.users, (u) => {
    const bar = el('span', { class: 'bar' });
    bar.style.width = Math.round(120 * u.actions / most) + 'px';
    return el('tr', {}, el('td', {}, link('user', u.user)), el('td', {}, bar, String(u.actions)), el('td', {}, u.hits), el('td', {}, u.failed),
      el('td', {}, ms(u.executionMs)), el('td', {}, link('build', u.lastBuild)));
  }, 'nobody yet');
  document.body.dataset.updated = String(s.timeMs);
}

function connect() {
  const events = new EventSource('/events');
  events.onopen = () => { $('conn').textContent = 'live'; $('conn').className = 'conn on'; };
  events.onerror = () => { $('conn').textContent = 'reconnecting…'; $('conn').className = 'conn off'; };
  events.onmessage = (m) => render(JSON.parse(m.data));
}

connect();
