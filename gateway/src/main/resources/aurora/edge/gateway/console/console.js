// The aurora-edge device trust console: plain JavaScript, no build step, nothing loaded from elsewhere.
// It reads the same JSON endpoints as the command line (the list is pinned by ConsoleEndpointsTest):
//   GET /devices?state=&q=&page=&size=   GET /devices/{id}   GET /devices/{id}/trace   GET /devices/{id}/commands?limit=
//   GET /status   GET /pipeline   GET /config
// and, only when http.console_writes is true, sends the same operator commands as `devices approve|quarantine|release|attest`:
//   POST /devices/{id}/{approve|quarantine|release|attest|trace}  with the ops token and the operator's name.
// Everything a device or the network chose is put on the page as text (textContent), never as HTML.
'use strict';

const POLL_MS = 2000;
const PAGE_SIZE = 50;
// A device's SOC commands shown on its page (open ones first, then newest); `devices commands ID` shows more.
const COMMANDS_SHOWN = 20;
const STATES = ['quarantined', 'pending', 'unapproved', 'trusted'];
const ACTIONS = {
  approve: 'Approve',
  quarantine: 'Quarantine',
  release: 'Release',
  attest: 'Re-attest',
};

const fleet = { state: '', q: '', page: 0 };
let consoleWrites = false;
let timer = null;
let busy = false;

// ---- small DOM helpers ----

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

function badge(text, kind) {
  return h('span', { class: 'badge b-' + String(kind || text).toLowerCase() }, text);
}

function td(label, ...children) {
  return h('td', { 'data-label': label }, ...children);
}

function ago(iso) {
  if (!iso) return '–';
  const s = Math.round((Date.now() - Date.parse(iso)) / 1000);
  if (s < 0) return 'just now';
  if (s < 60) return s + ' s ago';
  if (s < 3600) return Math.floor(s / 60) + ' min ago';
  if (s < 86400) return Math.floor(s / 3600) + ' h ago';
  return Math.floor(s / 86400) + ' d ago';
}

function duration(seconds) {
  if (seconds < 0) return '–';
  if (seconds < 60) return Math.round(seconds) + ' s';
  if (seconds < 3600) return Math.round(seconds / 60) + ' min';
  return (seconds / 3600).toFixed(1) + ' h';
}

function bytes(n) {
  if (n < 1024) return n + ' B';
  if (n < 1024 * 1024) return (n / 1024).toFixed(1) + ' KiB';
  if (n < 1024 * 1024 * 1024) return (n / 1024 / 1024).toFixed(1) + ' MiB';
  return (n / 1024 / 1024 / 1024).toFixed(2) + ' GiB';
}

function setView(...children) {
  const view = document.getElementById('view');
  view.replaceChildren(...children);
}

// ---- talking to the gateway ----

async function api(path) {
  const r = await fetch(path, { cache: 'no-store', headers: { Accept: 'application/json' } });
  const body = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(body.error || ('HTTP ' + r.status));
  return body;
}

async function post(path) {
  const r = await fetch(path, {
    method: 'POST',
    cache: 'no-store',
    headers: {
      Authorization: 'Bearer ' + sessionStorage.getItem('aurora.token'),
      'X-Aurora-Operator': sessionStorage.getItem('aurora.operator'),
    },
  });
  const body = await r.json().catch(() => ({}));
  return { ok: r.ok, status: r.status, body };
}

function connected(ok) {
  const c = document.getElementById('conn');
  c.textContent = ok ? 'live · ' + new Date().toLocaleTimeString() : 'gateway not answering';
  c.classList.toggle('down', !ok);
}

// ---- confirmation and credentials (asked once per tab) ----

function confirmAction(text) {
  return new Promise((resolve) => {
    const dialog = document.getElementById('confirm-dialog');
    const name = document.getElementById('op-name');
    const token = document.getElementById('op-token');
    const error = document.getElementById('confirm-error');
    const haveCredentials = sessionStorage.getItem('aurora.token') && sessionStorage.getItem('aurora.operator');
    document.getElementById('confirm-text').textContent = text;
    document.getElementById('credentials').classList.toggle('hidden', !!haveCredentials);
    name.value = sessionStorage.getItem('aurora.operator') || '';
    token.value = '';
    error.textContent = '';
    dialog.classList.remove('hidden');
    const yes = document.getElementById('confirm-yes');
    const no = document.getElementById('confirm-no');
    const close = (answer) => {
      dialog.classList.add('hidden');
      yes.onclick = null;
      no.onclick = null;
      resolve(answer);
    };
    yes.onclick = () => {
      if (!haveCredentials) {
        if (!/^[A-Za-z0-9._@-]{1,64}$/.test(name.value)) {
          error.textContent = 'The operator name is a login name: letters, digits, . _ @ - (at most 64).';
          return;
        }
        if (token.value.trim().length < 32) {
          error.textContent = 'The ops token is the line in the gateway\'s ops.token_file (at least 32 characters).';
          return;
        }
        sessionStorage.setItem('aurora.operator', name.value);
        sessionStorage.setItem('aurora.token', token.value.trim());
      }
      close(true);
    };
    no.onclick = () => close(false);
  });
}

// ---- fleet page ----

function fleetQuery() {
  const p = new URLSearchParams();
  p.set('state', fleet.state);
  p.set('q', fleet.q);
  p.set('page', String(fleet.page));
  p.set('size', String(PAGE_SIZE));
  return '/devices?' + p.toString();
}

function renderFleetShell() {
  const search = h('input', {
    id: 'search', type: 'search', placeholder: 'Search device id', value: fleet.q, 'aria-label': 'search by device id',
    oninput: (e) => { fleet.q = e.target.value; fleet.page = 0; refresh(); },
  });
  const select = h('select', { id: 'state-filter', 'aria-label': 'filter by state', onchange: (e) => { fleet.state = e.target.value; fleet.page = 0; refresh(); } },
    h('option', { value: '' }, 'All states'),
    ...STATES.map((s) => h('option', { value: s, selected: fleet.state === s }, s)));
  setView(
    h('h1', {}, 'Fleet'),
    h('div', { class: 'counts', id: 'counts' }),
    h('div', { class: 'filters' }, search, select),
    h('table', { id: 'fleet-table' },
      h('thead', {}, h('tr', {}, ...['Device', 'Trust', 'Health', 'Firmware', 'Board', 'Last seen', 'Battery', 'Gaps'].map((t) => h('th', {}, t)))),
      h('tbody', {})),
    h('div', { class: 'pager', id: 'pager' }));
}

function renderFleet(page) {
  if (!document.getElementById('fleet-table')) renderFleetShell();
  const counts = document.getElementById('counts');
  const all = h('button', { class: 'count' + (fleet.state === '' ? ' selected' : ''), 'data-state': '', onclick: () => { fleet.state = ''; fleet.page = 0; syncSelect(); refresh(); } },
    h('b', {}, page.total), 'all devices');
  counts.replaceChildren(all, ...STATES.map((s) => h('button', {
    class: 'count ' + s + (fleet.state === s ? ' selected' : ''), 'data-state': s, id: 'count-' + s,
    onclick: () => { fleet.state = s; fleet.page = 0; syncSelect(); refresh(); },
  }, h('b', {}, page.counts[s] || 0), s)));

  const rows = page.devices.map((d) => {
    const trust = h('span', {}, badge(d.trust));
    if (d.quarantined) trust.append(h('span', { class: 'reason' }, d.status + ' · ' + d.reason));
    const hash = d.attested_hash ? ' · ' + d.attested_hash.slice(0, 12) : '';
    return h('tr', { class: 'row-' + d.trust, 'data-device-id': d.device_id },
      td('Device', h('a', { href: '#/device/' + encodeURIComponent(d.device_id) }, d.device_id)),
      td('Trust', trust),
      td('Health', d.health ? badge(d.health) : '–'),
      td('Firmware', h('span', { class: 'mono' }, (d.firmware_version || '–') + hash)),
      td('Board', d.board || '–'),
      td('Last seen', h('span', { title: d.last_seen || '' }, ago(d.last_seen))),
      td('Battery', d.battery_mv !== undefined ? d.battery_mv + ' mV' : '–'),
      td('Gaps', d.unacknowledged_gaps !== undefined ? String(d.unacknowledged_gaps) : '–'));
  });
  const tbody = document.querySelector('#fleet-table tbody');
  tbody.replaceChildren(...(rows.length ? rows : [h('tr', {}, h('td', { colspan: 8, class: 'muted' }, 'No device matches.'))]));

  const pages = Math.max(1, Math.ceil(page.matched / page.size));
  document.getElementById('pager').replaceChildren(
    h('button', { id: 'prev', disabled: fleet.page === 0, onclick: () => { fleet.page--; refresh(); } }, '‹ Prev'),
    h('span', { id: 'page-info' }, 'page ' + (fleet.page + 1) + ' of ' + pages + ' · ' + page.matched + ' matching'),
    h('button', { id: 'next', disabled: fleet.page + 1 >= pages, onclick: () => { fleet.page++; refresh(); } }, 'Next ›'));
}

function syncSelect() {
  const select = document.getElementById('state-filter');
  if (select) select.value = fleet.state;
}

// ---- device page ----

function renderDeviceShell(id) {
  const actions = h('div', { class: 'actions', id: 'actions' },
    ...Object.entries(ACTIONS).map(([action, label]) => h('button', {
      'data-action': action, class: action === 'quarantine' ? 'danger' : 'primary', disabled: !consoleWrites,
      onclick: () => act(id, action, label),
    }, label)));
  setView(
    h('p', {}, h('a', { href: '#/fleet' }, '‹ Fleet')),
    h('h1', {}, h('span', { class: 'mono' }, id), ' ', h('span', { id: 'device-trust' })),
    h('div', { id: 'device-reason' }),
    consoleWrites ? actions : h('div', {}, actions, h('p', { class: 'notice' }, 'Read-only console (http.console_writes: false): use the command line to change a device.')),
    h('p', { id: 'action-result', class: 'notice hidden' }),
    h('div', { class: 'grid record' },
      h('section', { class: 'card' }, h('h2', {}, 'Registry record'), h('dl', { class: 'kv', id: 'record' })),
      h('section', { class: 'card' }, h('h2', {}, 'Open challenge'), h('div', { id: 'challenge' }, '–'))),
    h('h2', {}, 'Attestation history'),
    h('table', { id: 'history' },
      h('thead', {}, h('tr', {}, ...['Time', 'Verdict', 'Reason', 'Detail', 'Challenge'].map((t) => h('th', {}, t)))),
      h('tbody', {})),
    h('h2', {}, 'Queued commands'),
    h('p', { id: 'commands-summary', class: 'muted small' }),
    h('table', { id: 'commands' },
      h('thead', {}, h('tr', {}, ...['Command', 'Action', 'State', 'Requested', 'Updated', 'By', 'Detail'].map((t) => h('th', {}, t)))),
      h('tbody', {})),
    h('h2', {}, 'Live trace'),
    h('div', { class: 'actions' },
      h('button', { id: 'trace-start', class: 'primary', disabled: !consoleWrites, onclick: () => startTrace(id) }, 'Trace for 10 minutes'),
      h('span', { id: 'trace-state', class: 'muted' })),
    h('table', { id: 'trace' },
      h('thead', {}, h('tr', {}, ...['Time', 'Topic', 'Decision', 'Why', 'Payload'].map((t) => h('th', {}, t)))),
      h('tbody', {})));
}

function renderCommands(page) {
  const open = (state) => state === 'queued' || state === 'sent';
  document.getElementById('commands-summary').textContent = page.total === 0 ? 'No SOC command for this device.'
    : page.open + ' open · ' + page.total + ' kept' + (page.total > page.commands.length ? ' · showing ' + page.commands.length + ' (devices commands ID --limit 200 for more)' : '');
  const rows = page.commands.map((c) => h('tr', { class: 'command', 'data-command-id': c.command_id },
    td('Command', h('span', { class: 'mono' }, c.command_id)),
    td('Action', c.action),
    td('State', badge(c.state, open(c.state) ? 'pending' : c.state === 'done' ? 'trusted' : 'quarantined')),
    td('Requested', h('span', { title: c.requested_at }, ago(c.requested_at))),
    td('Updated', h('span', { title: c.updated_at }, ago(c.updated_at))),
    td('By', c.requested_by),
    td('Detail', c.detail === null ? (open(c.state) ? 'expires ' + c.expires_at.replace('T', ' ').replace('Z', '') : '–') : c.detail)));
  document.querySelector('#commands tbody').replaceChildren(...(rows.length ? rows
    : [h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'Nothing queued.'))]));
}

function renderDevice(id, d, trace, commands) {
  if (!document.getElementById('record') || document.getElementById('view').dataset.device !== id) {
    renderDeviceShell(id);
    document.getElementById('view').dataset.device = id;
  }
  document.getElementById('device-trust').replaceChildren(badge(d.trust), d.health ? ' ' : '', d.health ? badge(d.health) : '');
  document.getElementById('device-reason').replaceChildren(d.quarantined
    ? h('p', { class: 'notice bad' }, 'Quarantined: ' + d.status + ' (' + d.reason + ')')
    : h('p', { class: 'muted' }, 'Attestation ' + d.status + ' · ' + d.reason));
  const record = document.getElementById('record');
  const skip = new Set(['history', 'open_challenge']);
  record.replaceChildren(...Object.entries(d).filter(([k]) => !skip.has(k))
    .flatMap(([k, v]) => [h('dt', {}, k), h('dd', { class: 'mono' }, v === null ? '–' : String(v))]));
  const c = d.open_challenge;
  document.getElementById('challenge').replaceChildren(c
    ? h('dl', { class: 'kv' }, h('dt', {}, 'request'), h('dd', { class: 'mono' }, c.request_id), h('dt', {}, 'trigger'), h('dd', {}, c.trigger),
      h('dt', {}, 'issued'), h('dd', {}, c.issued_at), h('dt', {}, 'expires'), h('dd', {}, c.expires_at))
    : h('span', { class: 'muted' }, 'none open'));
  const history = (d.history || []).map((v) => h('tr', { class: 'verdict' },
    td('Time', h('span', { title: v.at }, v.at.replace('T', ' ').replace('Z', ''))),
    td('Verdict', badge(v.status, v.status === 'TRUSTED' || v.status === 'RELEASED' || v.status === 'APPROVED' ? 'trusted' : 'quarantined')),
    td('Reason', v.reason), td('Detail', v.detail), td('Challenge', h('span', { class: 'mono' }, v.request_id || '–'))));
  document.querySelector('#history tbody').replaceChildren(...(history.length ? history
    : [h('tr', {}, h('td', { colspan: 5, class: 'muted' }, 'No verdict yet.'))]));

  renderCommands(commands);
  document.getElementById('trace-state').textContent = trace.active
    ? 'tracing until ' + new Date(trace.until).toLocaleTimeString() + ' · ' + trace.recorded + ' recorded (last ' + trace.kept + ' kept)'
    : (trace.recorded ? 'trace ended · ' + trace.recorded + ' recorded' : 'not traced');
  document.getElementById('trace-state').dataset.recorded = String(trace.recorded);
  const events = trace.events.map((e) => h('tr', { class: 'trace-event' },
    td('Time', e.at.replace('T', ' ').replace('Z', '')), td('Topic', h('span', { class: 'mono' }, e.topic || '–')),
    td('Decision', badge(e.decision)), td('Why', e.why), td('Payload', h('span', { class: 'mono' }, e.payload || '–'))));
  document.querySelector('#trace tbody').replaceChildren(...(events.length ? events
    : [h('tr', {}, h('td', { colspan: 5, class: 'muted' }, trace.active ? 'Waiting for the device…' : 'Start a trace to see what the device sends and what the gateway decides.'))]));
}

function showResult(text, bad) {
  const el = document.getElementById('action-result');
  if (!el) return;
  el.textContent = text;
  el.classList.remove('hidden');
  el.classList.toggle('bad', !!bad);
}

async function act(id, action, label) {
  const sure = await confirmAction(label + ' device ' + id + '? This changes what the gateway does with its data and is written to the audit trail under your name.');
  if (!sure) return;
  const r = await post('/devices/' + encodeURIComponent(id) + '/' + action);
  if (r.status === 401 || r.status === 403) sessionStorage.removeItem('aurora.token');
  showResult(r.ok ? label + ': ' + r.body.message + ' (now ' + r.body.device.trust + ')' : label + ' refused (' + r.status + '): ' + (r.body.message || r.body.error), !r.ok);
  refresh();
}

async function startTrace(id) {
  const sure = await confirmAction('Trace device ' + id + ' for 10 minutes? The gateway keeps its last messages (cut short) and what it decided about them.');
  if (!sure) return;
  const r = await post('/devices/' + encodeURIComponent(id) + '/trace');
  if (r.status === 401 || r.status === 403) sessionStorage.removeItem('aurora.token');
  showResult(r.ok ? 'Tracing ' + id + ' for 10 minutes.' : 'Trace refused (' + r.status + '): ' + r.body.error, !r.ok);
  refresh();
}

// ---- pipeline page ----

function renderPipelineShell() {
  setView(
    h('h1', {}, 'Pipeline'),
    h('div', { class: 'grid', id: 'sinks' }),
    h('h2', {}, 'Last 15 minutes'),
    h('div', { class: 'grid' },
      h('section', { class: 'card' }, h('b', {}, 'Ingest (msgs/s)'), h('div', { id: 'chart-ingest' })),
      h('section', { class: 'card' }, h('b', {}, 'Backlog (events)'), h('div', { id: 'chart-backlog' })),
      h('section', { class: 'card' }, h('b', {}, 'Ack latency p99 (ms)'), h('div', { id: 'chart-latency' }))),
    h('h2', {}, 'Outbox'),
    h('section', { class: 'card', id: 'outbox' }),
    h('h2', {}, 'Effective configuration'),
    h('p', { class: 'muted small' }, 'Secrets are masked; values set in the file or the environment are bold.'),
    h('table', { id: 'config' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Key'), h('th', {}, 'Value'), h('th', {}, 'Default'))), h('tbody', {})));
}

const COLORS = ['#175cd3', '#b42318', '#0f7b3f', '#9a6700'];

function chart(el, series) {
  const W = 300, H = 90, P = 4;
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
  svg.setAttribute('class', 'chart');
  svg.setAttribute('preserveAspectRatio', 'none');
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const legend = h('div', { class: 'legend' });
  series.forEach((s, i) => {
    const n = s.values.length;
    const points = s.values.map((v, j) => {
      const x = n <= 1 ? W - P : P + (j * (W - 2 * P)) / (n - 1);
      const y = H - P - (v / max) * (H - 2 * P);
      return x.toFixed(1) + ',' + y.toFixed(1);
    }).join(' ');
    const line = document.createElementNS(ns, 'polyline');
    line.setAttribute('points', points);
    line.setAttribute('stroke', COLORS[i % COLORS.length]);
    svg.append(line);
    const last = n ? s.values[n - 1] : 0;
    legend.append(h('span', { class: 'legend-item' }, (i ? ' · ' : '') + s.name + ' ' + (Math.round(last * 10) / 10)));
  });
  legend.append(' (max ' + Math.round(max) + ')');
  el.replaceChildren(svg, legend);
}

// The firmware manifest in force and the sweep of its latest replacement (`manifest install` follows the same).
function manifestCard(m) {
  if (!m || m.sequence < 0) return [];
  const s = m.sweep;
  const rows = [h('dt', {}, 'sequence'), h('dd', {}, String(m.sequence))];
  if (s) {
    const settled = s.reattestAnswered + s.reattestUnresponsive;
    rows.push(
      h('dt', {}, 'replaced'), h('dd', {}, s.fromSequence + ' → ' + s.toSequence + ' at ' + s.startedAt),
      h('dt', {}, 'devices'), h('dd', {}, s.devicesEvaluated + ' / ' + s.devicesToEvaluate + ' re-evaluated, ' + s.quarantined + ' quarantined at once'),
      h('dt', {}, 're-attested'), h('dd', { class: 'reattested' }, settled + ' / ' + s.reattestIssued
        + (s.reattestOutstanding ? ' (' + s.reattestOutstanding + ' outstanding)' : '')
        + (s.reattestUnresponsive ? ', ' + s.reattestUnresponsive + ' unresponsive' : '')),
      h('dt', {}, 'rate'), h('dd', {}, (Math.round(s.settledPerSecond * 10) / 10) + ' /s'));
  }
  if (m.lastRefused) rows.push(h('dt', {}, 'last refused'), h('dd', {}, m.lastRefused.problem + ' at ' + m.lastRefused.at));
  const state = s && !s.complete ? 'sweeping' : 'in force';
  return [h('section', { class: 'card manifest' },
    h('h2', {}, 'Firmware manifest ', badge(state, s && !s.complete ? 'draining' : 'connected')),
    h('dl', { class: 'kv' }, ...rows))];
}

function renderPipeline(status, pipeline, config) {
  if (!document.getElementById('sinks')) renderPipelineShell();
  document.getElementById('sinks').replaceChildren(...status.sinks.map((s) => {
    const state = !s.connected ? 'down' : s.stalled ? 'stalled' : s.backlog > 0 ? 'draining' : 'connected';
    return h('section', { class: 'card sink', 'data-sink': s.name },
      h('h2', {}, s.name, ' ', badge(state)),
      h('dl', { class: 'kv' },
        h('dt', {}, 'backlog'), h('dd', { class: 'backlog' }, s.backlog + ' events'),
        h('dt', {}, 'oldest'), h('dd', {}, duration(s.oldestAgeSeconds)),
        h('dt', {}, 'drain rate'), h('dd', {}, Math.round(s.drainRatePerSecond) + ' /s'),
        h('dt', {}, 'ETA'), h('dd', {}, s.backlog > 0 ? duration(s.etaSeconds) : '–'),
        h('dt', {}, 'delivered'), h('dd', {}, s.delivered)));
  }), ...manifestCard(status.manifest),
  ...(status.problems.length ? [h('section', { class: 'card notice bad' }, 'Not ready: ' + status.problems.join('; '))] : []));
  const samples = pipeline.samples;
  const sinks = status.sinks.map((s) => s.name);
  chart(document.getElementById('chart-ingest'), [{ name: 'accepted', values: samples.map((p) => p.ingest_per_second) }]);
  chart(document.getElementById('chart-backlog'), sinks.map((n) => ({ name: n, values: samples.map((p) => p.backlog[n] || 0) })));
  chart(document.getElementById('chart-latency'), sinks.map((n) => ({ name: n, values: samples.map((p) => p.ack_p99_ms[n] || 0) })));
  const o = pipeline.outbox;
  const fill = h('span', { class: o.stored_bytes > o.max_bytes ? 'over' : '' });
  fill.style.width = Math.min(100, (100 * o.stored_bytes) / o.hard_max_bytes).toFixed(1) + '%';
  document.getElementById('outbox').replaceChildren(
    h('p', { id: 'outbox-size' }, bytes(o.stored_bytes) + ' held · telemetry evicted above ' + bytes(o.max_bytes) + ' · hard cap ' + bytes(o.hard_max_bytes)),
    h('div', { class: 'bar' }, fill));
  if (config) {
    document.querySelector('#config tbody').replaceChildren(...config.map((s) => h('tr', {},
      td('Key', h('span', { class: 'mono', title: s.description }, s.key)),
      td('Value', s.from_default ? h('span', { class: 'mono' }, s.value) : h('b', { class: 'mono' }, s.value)),
      td('Default', h('span', { class: 'muted' }, String(s.default).replace(/`/g, ''))))));
  }
}

// ---- routing and polling ----

function route() {
  const hash = location.hash || '#/fleet';
  const device = hash.match(/^#\/device\/(.+)$/);
  if (device) return { page: 'device', id: decodeURIComponent(device[1]) };
  if (hash === '#/pipeline') return { page: 'pipeline' };
  return { page: 'fleet' };
}

let configShown = null;

async function refresh() {
  if (busy) return;
  busy = true;
  const r = route();
  try {
    if (r.page === 'fleet') {
      renderFleet(await api(fleetQuery()));
    } else if (r.page === 'device') {
      const [d, trace, commands] = await Promise.all([api('/devices/' + encodeURIComponent(r.id)), api('/devices/' + encodeURIComponent(r.id) + '/trace'),
        api('/devices/' + encodeURIComponent(r.id) + '/commands?limit=' + COMMANDS_SHOWN)]);
      if (route().page === 'device') renderDevice(r.id, d, trace, commands);
    } else {
      const needConfig = configShown === null;
      const [status, pipeline, config] = await Promise.all([api('/status'), api('/pipeline'), needConfig ? api('/config') : Promise.resolve(null)]);
      if (config) configShown = config;
      if (route().page === 'pipeline') renderPipeline(status, pipeline, config);
    }
    connected(true);
  } catch (e) {
    connected(false);
    if (r.page === 'device' && /unknown device/.test(e.message)) setView(h('p', { class: 'notice bad' }, e.message));
  } finally {
    busy = false;
  }
}

function navigate() {
  const r = route();
  document.getElementById('nav-fleet').classList.toggle('active', r.page !== 'pipeline');
  document.getElementById('nav-pipeline').classList.toggle('active', r.page === 'pipeline');
  configShown = null;
  setView(h('p', { class: 'muted' }, 'Loading…'));
  delete document.getElementById('view').dataset.device;
  refresh();
}

async function start() {
  try {
    const config = await api('/config');
    const writes = config.find((s) => s.key === 'http.console_writes');
    consoleWrites = !!writes && writes.value === 'true';
  } catch (e) {
    consoleWrites = false;
  }
  window.addEventListener('hashchange', navigate);
  navigate();
  timer = setInterval(refresh, POLL_MS);
}

document.addEventListener('DOMContentLoaded', start);
