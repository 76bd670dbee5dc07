// The console's page: plain HTML, CSS and a small script, bundled here as strings so the console
// works offline and needs no build step or CDN. Written for a projector at the back of a room:
// large type, visible focus, and every state told by a shape and a word as well as a colour.
// The script uses no template literals, so it can live in one (String.raw keeps its backslashes).

export const CONSOLE_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>faultline console</title>
<link rel="stylesheet" href="/console.css">
<script src="/console.js" defer></script>
</head><body>
<a class="skip" href="#timeline">Skip to the timeline</a>
<header>
  <h1><span id="experiment">faultline</span> <span id="run-status" class="status waiting" role="status">connecting</span></h1>
  <p class="meta"><span id="phase">phase —</span> · <span id="elapsed">+0.0s</span> · run <code id="run-id">—</code> · started <time id="started">—</time> · <span id="connection">connecting</span></p>
  <p id="mode" class="mode">Read-only view: controls need the facilitator link.</p>
</header>
<main>
<section id="controls" aria-labelledby="controls-h" hidden>
  <h2 id="controls-h">Controls</h2>
  <div class="row">
    <button id="halt" class="danger" type="button">■ Halt</button>
    <span id="gate" hidden><span id="gate-prompt"></span> <button id="advance" type="button">▶ Advance</button></span>
  </div>
  <p id="control-msg" role="status" aria-live="polite"></p>
</section>
<dialog id="halt-dialog" aria-labelledby="halt-dialog-h">
  <h2 id="halt-dialog-h">Halt the run?</h2>
  <p>Every fault of every run on this host is reverted now (exactly <code>faultline halt</code>), and no run starts until <code>faultline halt --release</code>.</p>
  <div class="row"><button id="halt-cancel" type="button">Cancel</button> <button id="halt-confirm" class="danger" type="button">■ Halt now</button></div>
</dialog>
<section id="timeline" aria-labelledby="timeline-h">
  <h2 id="timeline-h">Timeline</h2>
  <div id="lanes" class="lanes"><p class="empty">Waiting for the run…</p></div>
  <div id="axis" class="axis" aria-hidden="true"></div>
</section>
<div class="columns">
<section aria-labelledby="held-h"><h2 id="held-h">Faults</h2><ul id="faults" class="plain"><li class="empty">none yet</li></ul></section>
<section aria-labelledby="objectives-h"><h2 id="objectives-h">Objectives as they stand</h2><ul id="objectives" class="plain"><li class="empty">none</li></ul></section>
</div>
<section aria-labelledby="probes-h"><h2 id="probes-h">Probes</h2><div id="probes"><p class="empty">no samples yet</p></div></section>
<section id="workloads-section" aria-labelledby="workloads-h" hidden><h2 id="workloads-h">Workloads</h2><div id="workloads"></div></section>
<section aria-labelledby="targets-h"><h2 id="targets-h">Targets (frozen)</h2><ul id="targets" class="plain"><li class="empty">not selected yet</li></ul></section>
<section id="logbook" aria-labelledby="logbook-h">
  <h2 id="logbook-h">Logbook</h2>
  <div id="logbook-controls" hidden>
    <div class="field"><label for="note">Note</label><textarea id="note" rows="2" maxlength="2000"></textarea><button id="add-note" type="button">Add note</button></div>
    <fieldset><legend>Someone noticed</legend>
      <div class="field"><label for="by">Who</label><input id="by" maxlength="100" autocomplete="off">
      <label for="via">How</label><select id="via"><option value="alert">an alert</option><option value="dashboard">a dashboard</option><option value="customer-report">a customer report</option><option value="person">a person</option></select>
      <button id="detected" type="button">⚑ Detected</button></div>
    </fieldset>
    <p id="logbook-msg" role="status" aria-live="polite"></p>
  </div>
  <ol id="notes" class="plain"><li class="empty">nothing noted yet</li></ol>
</section>
<section aria-labelledby="log-h">
  <h2 id="log-h">Events</h2>
  <table><thead><tr><th scope="col">Time (UTC)</th><th scope="col">Since start</th><th scope="col">Event</th></tr></thead><tbody id="log"></tbody></table>
</section>
</main>
</body></html>
`;

export const CONSOLE_CSS = `
:root { --fg: #111; --bg: #fff; --muted: #555; --line: #bbb; --bad: #b00020; --good: #0a6b2d; --warn: #8a5a00; --held: #c25e00; --focus: #1a4fd6; }
* { box-sizing: border-box; }
html { font-size: 20px; }
body { margin: 0; font: 1rem/1.45 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
main, header { max-width: 1400px; margin: 0 auto; padding: 0.5rem 1.2rem; }
h1 { font-size: 1.8rem; margin: 0.3rem 0; }
h2 { font-size: 1.25rem; margin: 1rem 0 0.4rem; border-bottom: 2px solid var(--line); }
.meta, .mode, .empty { color: var(--muted); }
.skip { position: absolute; left: -9999px; }
.skip:focus { left: 1rem; top: 1rem; background: var(--bg); padding: 0.3rem; }
:focus-visible { outline: 4px solid var(--focus); outline-offset: 2px; }
button, input, select, textarea { font: inherit; }
button { padding: 0.35rem 0.9rem; border: 2px solid var(--fg); background: #f2f2f2; border-radius: 4px; cursor: pointer; }
button.danger { background: var(--bad); color: #fff; border-color: var(--bad); font-weight: bold; }
button:disabled { opacity: 0.5; cursor: not-allowed; }
.row { display: flex; gap: 0.8rem; align-items: center; flex-wrap: wrap; }
.field { display: flex; gap: 0.5rem; align-items: center; flex-wrap: wrap; margin: 0.3rem 0; }
textarea { min-width: 28rem; }
fieldset { border: 2px solid var(--line); }
ul.plain, ol.plain { list-style: none; padding: 0; margin: 0; }
ul.plain li, ol.plain li { padding: 0.15rem 0; }
.columns { display: grid; grid-template-columns: 1fr 1fr; gap: 1.5rem; }
@media (max-width: 900px) { .columns { grid-template-columns: 1fr; } }
.status { font-size: 1.1rem; padding: 0.1rem 0.6rem; border: 2px solid currentColor; border-radius: 4px; vertical-align: middle; }
.status.running { color: var(--held); } .status.ended-ok { color: var(--good); } .status.ended-bad { color: var(--bad); } .status.waiting { color: var(--muted); }
.lanes { border: 1px solid var(--line); }
.lane { display: grid; grid-template-columns: 12rem 1fr; border-bottom: 1px solid var(--line); min-height: 2.2rem; }
.lane-label { padding: 0.3rem; font-weight: bold; overflow-wrap: anywhere; border-right: 1px solid var(--line); }
.lane-track { position: relative; }
.fault-span { position: absolute; top: 0.2rem; bottom: 0.2rem; min-width: 4px; background: repeating-linear-gradient(45deg, #ffd9b3, #ffd9b3 6px, #ffc080 6px, #ffc080 12px); border: 2px solid var(--held); color: #000; font-size: 0.8rem; white-space: nowrap; overflow: visible; padding: 0 0.2rem; }
.fault-plan { position: absolute; top: 0.2rem; bottom: 0.2rem; border: 2px dashed var(--held); border-left: none; }
.fault-span.reverted { background: #eee; border-style: dashed; border-color: var(--muted); }
.fault-span.failed { border-color: var(--bad); }
.instant { position: absolute; top: 0.1rem; font-size: 1rem; }
.mark { position: absolute; top: 0.1rem; font-size: 1.1rem; line-height: 1; }
.cell { position: absolute; bottom: 0.2rem; width: 1%; }
.cell.pass { height: 35%; background: var(--good); }
.cell.fail { height: 90%; background: repeating-linear-gradient(-45deg, var(--bad), var(--bad) 3px, #fff 3px, #fff 5px); }
.axis { position: relative; height: 1.4rem; margin-left: 12rem; font-size: 0.8rem; color: var(--muted); }
.axis span { position: absolute; transform: translateX(-50%); }
.now-line { position: absolute; top: 0; bottom: 0; border-left: 2px dotted var(--fg); }
.strip { display: flex; gap: 1px; flex-wrap: wrap; margin: 0.2rem 0; }
.strip i { display: inline-block; width: 0.55rem; height: 1.1rem; }
.strip i.pass { background: var(--good); height: 0.55rem; align-self: flex-end; }
.strip i.fail { background: repeating-linear-gradient(-45deg, var(--bad), var(--bad) 3px, #fff 3px, #fff 5px); }
.probe { margin-bottom: 0.6rem; }
.workload { margin-bottom: 1rem; }
.charts { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
@media (max-width: 900px) { .charts { grid-template-columns: 1fr; } }
svg.workload-chart { width: 100%; height: auto; display: block; font-family: system-ui, sans-serif; }
svg.workload-chart .frame { fill: none; stroke: var(--line); stroke-width: 2; }
svg.workload-chart .grid { stroke: var(--line); stroke-width: 1; stroke-dasharray: 2 6; }
svg.workload-chart text { fill: var(--fg); font-size: 26px; }
svg.workload-chart text.tick { fill: var(--muted); font-size: 22px; }
svg.workload-chart .fault-band { fill: #ffe2c4; stroke: var(--held); stroke-width: 1; }
svg.workload-chart polyline { fill: none; stroke-width: 4; stroke-linejoin: round; }
svg.workload-chart .series-ok, svg.workload-chart .series-p50 { stroke: var(--fg); }
svg.workload-chart .series-failed { stroke: var(--bad); stroke-dasharray: 14 8; }
svg.workload-chart .series-p99 { stroke: var(--held); stroke-dasharray: 4 6; stroke-width: 5; }
.ok { color: var(--good); } .bad { color: var(--bad); } .risk { color: var(--warn); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 0.2rem 0.5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
td.time { white-space: nowrap; font-variant-numeric: tabular-nums; }
dialog { border: 3px solid var(--bad); max-width: 40rem; }
dialog::backdrop { background: rgba(0,0,0,0.4); }
`;

export const CONSOLE_JS = String.raw`'use strict';
(function () {
  var S = { plan: null, offset: 0, events: [], samples: {}, probeOrder: [], workloads: {}, workloadOrder: [], axis: null, targets: [], faults: {}, notes: [], standing: [], gate: null, ended: null, phase: null, connected: false };
  var token = readToken();
  var $ = function (id) { return document.getElementById(id); };

  function readToken() {
    var m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
    if (m) {
      sessionStorage.setItem('faultline-token', decodeURIComponent(m[1]));
      history.replaceState(null, '', location.pathname + location.search);
    }
    return sessionStorage.getItem('faultline-token');
  }
  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; }); }
  function serverNow() { return Date.now() + S.offset; }
  function secs(ms) { return (Math.max(0, ms) / 1000).toFixed(1) + 's'; }
  function rel(t) { return S.plan ? '+' + ((t - S.plan.startedAt) / 1000).toFixed(3) + 's' : ''; }
  function abs(t) { return new Date(t).toISOString().slice(11, 23); }
  function holdOf(name) {
    var f = S.plan && S.plan.faults.filter(function (x) { return x.name === name; })[0];
    return f ? f['for'] : null;
  }

  function reset(plan) {
    S.plan = plan; S.events = []; S.samples = {}; S.probeOrder = []; S.workloads = {}; S.workloadOrder = []; S.targets = []; S.faults = {}; S.notes = []; S.ended = null; S.phase = null;
  }

  function onJournal(e) {
    S.events.push(e);
    if (e.type === 'phase') S.phase = e.phase;
    if (e.type === 'targets') S.targets = e.targets;
    if (e.type === 'note' || e.type === 'detected') S.notes.push(e);
    if (e.type === 'inject' || e.type === 'revert') {
      var key = e.fault + '\u0000' + e.target;
      var f = S.faults[key] || (S.faults[key] = { fault: e.fault, kind: e.kind, target: e.target, injectedAt: null, revertedAt: null, failed: false, hold: holdOf(e.fault) });
      if (e.type === 'inject') { if (e.ok) f.injectedAt = e.t; else f.failed = true; }
      if (e.type === 'revert') { if (e.ok) f.revertedAt = e.t; else f.failed = true; }
    }
  }
  function onWorkload(w) {
    if (!S.workloads[w.workload]) { S.workloads[w.workload] = []; S.workloadOrder.push(w.workload); }
    S.workloads[w.workload].push(w);
  }
  function onSample(s) {
    if (!S.samples[s.probe]) { S.samples[s.probe] = []; S.probeOrder.push(s.probe); }
    S.samples[s.probe].push(s);
  }

  function connect() {
    var es = new EventSource('/events');
    es.addEventListener('hello', function (m) {
      var h = JSON.parse(m.data);
      // A fresh connection replays everything from the start; a resumed one only what it missed.
      if (!S.plan || S.plan.runId !== h.plan.runId || !m.lastEventId) reset(h.plan);
      S.offset = h.now - Date.now();
      render();
    });
    es.addEventListener('journal', function (m) { onJournal(JSON.parse(m.data)); schedule(); });
    es.addEventListener('sample', function (m) { onSample(JSON.parse(m.data)); schedule(); });
    es.addEventListener('workload', function (m) { onWorkload(JSON.parse(m.data)); schedule(); });
    es.addEventListener('standing', function (m) {
      var d = JSON.parse(m.data);
      S.offset = d.now - Date.now(); S.standing = d.standing; S.gate = d.gate; S.ended = d.ended;
      schedule();
    });
    es.addEventListener('problem', function (m) { say('control-msg', JSON.parse(m.data).message); });
    es.onopen = function () { S.connected = true; schedule(); };
    es.onerror = function () { S.connected = false; schedule(); };
  }

  var pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    setTimeout(function () { pending = false; render(); }, 100);
  }

  function render() {
    if (!S.plan) return;
    var now = S.ended ? lastT() : serverNow();
    $('experiment').textContent = S.plan.experiment;
    $('run-id').textContent = S.plan.runId;
    $('started').textContent = new Date(S.plan.startedAt).toISOString();
    $('started').setAttribute('datetime', new Date(S.plan.startedAt).toISOString());
    $('phase').textContent = 'phase ' + (S.phase || '—');
    $('elapsed').textContent = '+' + secs(now - S.plan.startedAt);
    $('connection').textContent = S.connected ? '● live' : (S.ended ? '○ run over' : '○ reconnecting');
    var st = $('run-status');
    if (S.ended) {
      var good = S.ended.status === 'completed' && S.ended.verdicts.every(function (v) { return v.status === 'met'; });
      st.textContent = (good ? '✔ ' : '■ ') + S.ended.status;
      st.className = 'status ' + (good ? 'ended-ok' : 'ended-bad');
      $('halt').disabled = true;
    } else {
      st.textContent = '▶ running'; st.className = 'status running';
    }
    $('gate').hidden = !S.gate;
    $('gate-prompt').textContent = S.gate || '';
    renderTimeline(now);
    renderFaults(now);
    renderObjectives();
    renderProbes();
    renderWorkloads();
    renderTargets();
    renderNotes();
    renderLog();
  }
  function lastT() {
    var e = S.events[S.events.length - 1];
    return e ? e.t : serverNow();
  }

  function renderTimeline(now) {
    var start = S.plan.startedAt;
    var end = Math.max(now, start + 10000);
    Object.keys(S.faults).forEach(function (k) {
      var f = S.faults[k];
      if (f.injectedAt !== null && f.hold !== null && f.revertedAt === null) end = Math.max(end, f.injectedAt + f.hold);
    });
    var span = end - start;
    S.axis = { start: start, end: end };
    var pos = function (t) { return Math.max(0, Math.min(100, ((t - start) / span) * 100)); };
    var lanes = [];
    var byTarget = {};
    S.targets.forEach(function (t) { byTarget[t.id] = []; });
    Object.keys(S.faults).forEach(function (k) {
      var f = S.faults[k];
      (byTarget[f.target] || (byTarget[f.target] = [])).push(f);
    });
    Object.keys(byTarget).forEach(function (id) {
      var t = S.targets.filter(function (x) { return x.id === id; })[0];
      var label = t ? t.group + '/' + t.name : id;
      var items = byTarget[id].map(function (f) {
        if (f.injectedAt === null) return '';
        var left = pos(f.injectedAt);
        if (f.hold === null) return '<span class="instant fault-span-instant" data-fault="' + esc(f.fault) + '" data-target="' + esc(f.target) + '" data-l="' + left + '">✱ ' + esc(f.fault) + '</span>';
        var stop = f.revertedAt !== null ? f.revertedAt : now;
        var text = f.revertedAt !== null ? 'reverted' : (f.injectedAt + f.hold - now > 0 ? 'reverts in ' + secs(f.injectedAt + f.hold - now) : 'reverting');
        var cls = 'fault-span' + (f.revertedAt !== null ? ' reverted' : ' held') + (f.failed ? ' failed' : '');
        // The rest of the planned hold, dashed: the countdown drawn on the axis.
        var planned = f.revertedAt === null && f.injectedAt + f.hold > now ? '<span class="fault-plan" aria-hidden="true" data-l="' + pos(now) + '" data-w="' + (pos(f.injectedAt + f.hold) - pos(now)) + '"></span>' : '';
        return '<span class="' + cls + '" data-fault="' + esc(f.fault) + '" data-target="' + esc(f.target) + '" data-l="' + left + '" data-w="' + Math.max(0.3, pos(stop) - left) + '">' + (f.revertedAt !== null ? '◇ ' : '◆ ') + esc(f.fault) + ' · ' + text + '</span>' + planned;
      }).join('');
      lanes.push(lane('target ' + label, items));
    });
    S.probeOrder.forEach(function (p) {
      // One cell per hundredth of the axis: failed if any sample in it failed.
      var cells = {};
      S.samples[p].forEach(function (s) {
        var i = Math.min(99, Math.floor(pos(s.t)));
        cells[i] = cells[i] === 'fail' || !s.ok ? 'fail' : 'pass';
      });
      var html = Object.keys(cells).map(function (i) { return '<i class="cell ' + cells[i] + '" data-l="' + i + '"></i>'; }).join('');
      lanes.push(lane('probe ' + p, html));
    });
    if (S.notes.length) {
      lanes.push(lane('logbook', S.notes.map(function (n) {
        var what = n.type === 'detected' ? '⚑ detected by ' + n.by : '✎ ' + n.text;
        return '<span class="mark logbook-mark" title="' + esc(what) + '" data-l="' + pos(n.t) + '">' + (n.type === 'detected' ? '⚑' : '✎') + '<span class="skip">' + esc(what) + '</span></span>';
      }).join('')));
    }
    var nowLine = S.ended ? '' : '<span class="now-line" data-l="' + pos(now) + '"></span>';
    $('lanes').innerHTML = lanes.length ? lanes.join('').replace(/<div class="lane-track">/g, '<div class="lane-track">' + nowLine) : '<p class="empty">Waiting for the targets…</p>';
    var ticks = '';
    for (var i = 0; i <= 5; i++) ticks += '<span data-l="' + (i * 20) + '">+' + ((span * i) / 5000).toFixed(0) + 's</span>';
    $('axis').innerHTML = ticks;
    place($('lanes'));
    place($('axis'));
  }
  // Positions are set through the DOM: the page's policy forbids inline style attributes.
  function place(root) {
    root.querySelectorAll('[data-l]').forEach(function (el) {
      el.style.left = el.getAttribute('data-l') + '%';
      if (el.hasAttribute('data-w')) el.style.width = el.getAttribute('data-w') + '%';
    });
  }
  function lane(label, html) {
    return '<div class="lane"><div class="lane-label">' + esc(label) + '</div><div class="lane-track">' + html + '</div></div>';
  }

  function renderFaults(now) {
    var keys = Object.keys(S.faults);
    $('faults').innerHTML = keys.length ? keys.map(function (k) {
      var f = S.faults[k];
      var state = f.failed ? '✘ failed' : f.injectedAt === null ? '… injecting' : f.hold === null ? '✱ done (instant)' : f.revertedAt !== null ? '◇ reverted after ' + secs(f.revertedAt - f.injectedAt) : (f.injectedAt + f.hold - now > 0 ? '◆ in place, reverts in ' + secs(f.injectedAt + f.hold - now) : '◆ reverting');
      return '<li><b>' + esc(f.fault) + '</b> (' + esc(f.kind) + ') on ' + esc(f.target) + ': ' + esc(state) + '</li>';
    }).join('') : '<li class="empty">none yet</li>';
  }

  var STANDING = { 'waiting': ['…', 'not measured yet', ''], 'met-so-far': ['✔', 'met so far', 'ok'], 'at-risk': ['⚠', 'at risk', 'risk'], 'missed': ['✘', 'missed', 'bad'], 'at-end': ['⧗', 'judged at the end', ''] };
  function renderObjectives() {
    var list = S.ended ? S.ended.verdicts.map(function (v) {
      var m = { met: ['✔', 'met', 'ok'], missed: ['✘', 'missed', 'bad'], unknown: ['?', 'not judged', 'risk'], partial: ['◐', 'partial', 'risk'] }[v.status];
      return '<li class="' + m[2] + '">' + m[0] + ' <b>' + esc(m[1]) + '</b>: ' + esc(v.objective) + ' — ' + esc(v.detail) + '</li>';
    }) : S.standing.map(function (o) {
      var m = STANDING[o.state];
      return '<li class="' + m[2] + '" data-state="' + o.state + '">' + m[0] + ' <b>' + esc(m[1]) + '</b>: ' + esc(o.objective) + ' — ' + esc(o.value) + ' (target ' + esc(o.bound) + ')</li>';
    });
    $('objectives').innerHTML = list.length ? list.join('') : '<li class="empty">none declared</li>';
  }

  function renderProbes() {
    if (!S.probeOrder.length) return;
    $('probes').innerHTML = S.probeOrder.map(function (p) {
      var list = S.samples[p];
      var last = list[list.length - 1];
      var ok = list.filter(function (s) { return s.ok; }).length;
      var strip = list.slice(-80).map(function (s) { return '<i class="' + (s.ok ? 'pass' : 'fail') + '" title="' + (s.ok ? 'passed' : 'failed') + ' ' + s.ms.toFixed(0) + 'ms"></i>'; }).join('');
      return '<div class="probe"><b>' + esc(p) + '</b> ' + (last.ok ? '<span class="ok">✔ passing</span>' : '<span class="bad">✘ failing: ' + esc(last.error || 'failed') + '</span>') +
        ' · last ' + last.ms.toFixed(0) + ' ms · ' + ((ok / list.length) * 100).toFixed(1) + '% of ' + list.length + ' passed' +
        '<div class="strip" aria-hidden="true">' + strip + '</div></div>';
    }).join('');
  }

  // Each workload as two curves over the timeline's axis: operations per second (ok solid, failed
  // dashed) and latency (p50 solid, p99 dotted). Told by line style and a legend in words, not by
  // colour alone; the last second is also written out.
  function renderWorkloads() {
    if (!S.workloadOrder.length || !S.axis) return;
    $('workloads-section').hidden = false;
    $('workloads').innerHTML = S.workloadOrder.map(function (name) {
      var list = S.workloads[name];
      var last = list[list.length - 1];
      var lat = function (v) { return v === null ? '—' : v.toFixed(v < 10 ? 1 : 0) + ' ms'; };
      var rate = function (v) { return v.toFixed(v < 10 ? 1 : 0) + '/s'; };
      var summary = 'last ' + secs(last.end - last.start) + ': ' + rate(last.okPerSecond) + ' ok, ' + rate(last.failedPerSecond) + ' failed, p50 ' + lat(last.p50) + ', p99 ' + lat(last.p99);
      return '<div class="workload" data-workload="' + esc(name) + '"><b>' + esc(name) + '</b> <span class="' + (last.failed ? 'bad' : 'ok') + '">' + (last.failed ? '✘ ' : '✔ ') + esc(summary) + '</span>' +
        '<div class="charts">' +
        chart('throughput', name + ': operations per second', '/s', [
          { cls: 'series-ok', label: 'ok (solid)', points: list.map(function (w) { return [w.end, w.okPerSecond]; }) },
          { cls: 'series-failed', label: 'failed (dashed)', points: list.map(function (w) { return [w.end, w.failedPerSecond]; }) },
        ]) +
        chart('latency', name + ': latency, ms', ' ms', [
          { cls: 'series-p50', label: 'p50 (solid)', points: list.map(function (w) { return [w.end, w.p50]; }) },
          { cls: 'series-p99', label: 'p99 (dotted)', points: list.map(function (w) { return [w.end, w.p99]; }) },
        ]) + '</div></div>';
    }).join('');
  }
  var W = 1000, H = 300, PL = 90, PR = 20, PT = 50, PB = 40;
  function chart(kind, title, unit, series) {
    var start = S.axis.start, span = Math.max(1, S.axis.end - start);
    var max = 0;
    series.forEach(function (s) { s.points.forEach(function (p) { if (p[1] !== null && p[1] > max) max = p[1]; }); });
    max = niceCeil(max);
    var x = function (t) { return (PL + ((t - start) / span) * (W - PL - PR)).toFixed(1); };
    var y = function (v) { return (H - PB - (v / max) * (H - PT - PB)).toFixed(1); };
    var out = '<svg class="workload-chart ' + kind + '" viewBox="0 0 ' + W + ' ' + H + '" role="img" aria-label="' + esc(title) + '"><title>' + esc(title) + '</title>';
    // Where a fault was held, shaded and labelled, so a dip lines up with its cause.
    Object.keys(S.faults).forEach(function (k) {
      var f = S.faults[k];
      if (f.injectedAt === null) return;
      var stop = f.revertedAt !== null ? f.revertedAt : (f.hold === null ? f.injectedAt : serverNow());
      var x0 = +x(f.injectedAt), x1 = Math.max(x0 + 3, +x(stop));
      out += '<rect class="fault-band" x="' + x0 + '" y="' + PT + '" width="' + (x1 - x0).toFixed(1) + '" height="' + (H - PT - PB) + '"></rect><text class="tick" x="' + (x0 + 4) + '" y="' + (PT + 24) + '">◆ ' + esc(f.fault) + '</text>';
    });
    out += '<line class="grid" x1="' + PL + '" x2="' + (W - PR) + '" y1="' + y(max / 2) + '" y2="' + y(max / 2) + '"></line>';
    out += '<rect class="frame" x="' + PL + '" y="' + PT + '" width="' + (W - PL - PR) + '" height="' + (H - PT - PB) + '"></rect>';
    out += '<text class="tick" x="' + (PL - 8) + '" y="' + (PT + 8) + '" text-anchor="end">' + fmt(max) + '</text><text class="tick" x="' + (PL - 8) + '" y="' + (H - PB) + '" text-anchor="end">0</text>';
    out += '<text class="tick" x="' + PL + '" y="' + (H - 8) + '">+0s</text><text class="tick" x="' + (W - PR) + '" y="' + (H - 8) + '" text-anchor="end">+' + (span / 1000).toFixed(0) + 's</text>';
    var legendX = PL;
    series.forEach(function (s) {
      // A gap where nothing was measured (no operation completed) rather than a line through it.
      var runs = [[]];
      s.points.forEach(function (p) { if (p[1] === null) runs.push([]); else runs[runs.length - 1].push(x(p[0]) + ',' + y(p[1])); });
      runs.forEach(function (r) { if (r.length) out += '<polyline class="' + s.cls + '" points="' + r.join(' ') + '"></polyline>'; });
      out += '<line class="' + s.cls + '" x1="' + legendX + '" x2="' + (legendX + 50) + '" y1="22" y2="22" stroke-width="4"></line><text x="' + (legendX + 58) + '" y="30">' + esc(s.label) + '</text>';
      legendX += 330;
    });
    return out + '<text x="' + (W - PR) + '" y="30" text-anchor="end">' + esc(unit.trim()) + '</text></svg>';
  }
  function niceCeil(v) {
    if (!(v > 0)) return 1;
    var p = Math.pow(10, Math.floor(Math.log10(v)));
    var m = [1, 2, 5, 10].filter(function (k) { return k * p >= v; })[0];
    return m * p;
  }
  function fmt(v) { return v >= 100 ? v.toFixed(0) : String(+v.toPrecision(2)); }

  function renderTargets() {
    if (!S.targets.length) return;
    $('targets').innerHTML = S.targets.map(function (t) {
      var pid = t.meta && t.meta.pid ? ' (pid ' + t.meta.pid + ')' : t.meta && t.meta.external ? ' (external)' : '';
      return '<li><b>' + esc(t.group) + '</b>/' + esc(t.name) + esc(pid) + ' <span class="meta">' + esc(t.driver) + ' ' + esc(t.id) + '</span></li>';
    }).join('');
  }

  function describe(e) {
    switch (e.type) {
      case 'phase': return 'phase ' + e.phase;
      case 'log': return e.level + ' ' + e.message;
      case 'targets': return 'targets ' + e.targets.map(function (t) { return t.group + '/' + t.name; }).join(', ');
      case 'inject': return '◆ inject ' + e.kind + ' ' + e.target + (e.ok ? '' : ' FAILED: ' + (e.error || ''));
      case 'revert': return '◇ revert ' + e.kind + ' ' + e.target + (e.ok ? (e.note ? ' (' + e.note + ')' : '') : ' FAILED: ' + (e.error || ''));
      case 'abort': return 'abort: ' + e.reason;
      case 'interrupt': return '■ interrupted by ' + e.signal;
      case 'service': return 'service ' + e.service + ' ' + e.event + (e.pid ? ' (pid ' + e.pid + ')' : '');
      case 'note': return '✎ note: ' + e.text;
      case 'detected': return '⚑ detected by ' + e.by + ' through ' + VIA[e.via] + (e.text ? ': ' + e.text : '');
      default: return e.type;
    }
  }
  var VIA = { alert: 'an alert', dashboard: 'a dashboard', 'customer-report': 'a customer report', person: 'a person' };

  function renderNotes() {
    if (!S.notes.length) return;
    $('notes').innerHTML = S.notes.map(function (n) {
      return '<li class="' + n.type + '"><span class="time">' + abs(n.t) + ' ' + rel(n.t) + '</span> ' + esc(describe(n)) + '</li>';
    }).join('');
  }

  function renderLog() {
    $('log').innerHTML = S.events.slice(-300).reverse().map(function (e) {
      return '<tr><td class="time"><time datetime="' + new Date(e.t).toISOString() + '">' + abs(e.t) + '</time></td><td class="time">' + rel(e.t) + '</td><td>' + esc(describe(e)) + '</td></tr>';
    }).join('');
  }

  function say(id, text) { $(id).textContent = text; }

  function post(path, body, msgId) {
    return fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token }, body: JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (j) { if (!r.ok) throw new Error(j.error || ('HTTP ' + r.status)); return j; }); })
      .catch(function (e) { say(msgId, '✘ ' + e.message); throw e; });
  }

  function wire() {
    if (token) {
      $('controls').hidden = false;
      $('logbook-controls').hidden = false;
      $('mode').textContent = 'Facilitator: controls enabled.';
    }
    var dialog = $('halt-dialog');
    $('halt').addEventListener('click', function () { dialog.showModal(); $('halt-cancel').focus(); });
    $('halt-cancel').addEventListener('click', function () { dialog.close(); });
    $('halt-confirm').addEventListener('click', function () {
      dialog.close();
      $('halt').disabled = true;
      say('control-msg', '■ Halting: every fault is being reverted…');
      post('/api/halt', { confirm: true }, 'control-msg').then(function () { say('control-msg', '■ Halt under way: every fault is being reverted.'); }, function () { $('halt').disabled = false; });
    });
    $('advance').addEventListener('click', function () {
      post('/api/advance', {}, 'control-msg').then(function () { say('control-msg', '▶ Advanced.'); }, function () {});
    });
    $('add-note').addEventListener('click', function () {
      var text = $('note').value.trim();
      if (!text) { say('logbook-msg', 'Type a note first.'); $('note').focus(); return; }
      post('/api/note', { text: text }, 'logbook-msg').then(function () { $('note').value = ''; say('logbook-msg', '✎ Note added.'); }, function () {});
    });
    $('detected').addEventListener('click', function () {
      var by = $('by').value.trim();
      if (!by) { say('logbook-msg', 'Say who noticed first.'); $('by').focus(); return; }
      post('/api/detected', { by: by, via: $('via').value }, 'logbook-msg').then(function () { say('logbook-msg', '⚑ Detection recorded.'); }, function () {});
    });
    setInterval(function () { if (!S.ended) render(); }, 250);
  }

  wire();
  connect();
})();
`;
