// The report's stylesheet, inlined so the HTML file stands alone (no fonts, no scripts, no network).
export const STYLE = `
:root{--ok:#1a7f37;--fail:#cf222e;--warn:#9a6700;--fault:#fb8500;--ink:#1f2328;--muted:#656d76;--line:#d0d7de;--bg:#f6f8fa}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:#fff}
main{max-width:1040px;margin:0 auto;padding:24px}
header{border-radius:10px;padding:20px 24px;color:#fff}
header.passed{background:var(--ok)}header.failed{background:var(--fail)}
header h1{margin:0 0 4px;font-size:26px}
header .meta{margin:0;opacity:.9;font-size:14px}
header .meta code{background:rgba(255,255,255,.18);padding:0 4px;border-radius:4px}
.verdict{display:inline-block;font-weight:700;letter-spacing:.04em;padding:2px 10px;border-radius:999px;background:rgba(255,255,255,.22);margin-left:8px;font-size:14px;vertical-align:middle}
.badges{margin-top:12px;display:flex;flex-wrap:wrap;gap:6px}
.badge{background:#fff;border-radius:999px;padding:2px 10px;font-size:13px;font-weight:600}
.badge.met{color:var(--ok)}.badge.missed{color:var(--fail)}
.problems{margin:10px 0 0;padding-left:20px}
h2{font-size:18px;margin:28px 0 10px;border-bottom:1px solid var(--line);padding-bottom:4px}
.warning{border:1px solid var(--warn);background:#fff8c5;border-radius:8px;padding:10px 16px;margin-top:16px}
.warning ul{margin:4px 0 0;padding-left:20px}
figure{margin:0 0 18px}
figcaption{font-weight:600;margin-bottom:4px}
figcaption span{font-weight:400;color:var(--muted)}
svg.timeline{width:100%;height:auto;display:block;background:#fff;border:1px solid var(--line);border-radius:8px}
.plot{fill:var(--bg)}
.grid{stroke:var(--line);stroke-width:1}
.tick{font-size:11px;fill:var(--muted)}
.fault-span{fill:var(--fault);fill-opacity:.18;stroke:var(--fault);stroke-opacity:.6}
.fault-span.instant{fill-opacity:.9}
.fault-span.open{stroke-dasharray:4 3}
.marker line{stroke-width:1.5;stroke-dasharray:3 2}.marker text{font-size:10px}
.marker.broken line{stroke:var(--fault)}.marker.broken text{fill:#b35c00}.marker.noticed line{stroke:#8250df}.marker.noticed text{fill:#8250df}.marker.recovered line,.marker.resolved line{stroke:var(--ok)}.marker.recovered text,.marker.resolved text{fill:var(--ok)}
.fault-label{font-size:11px;fill:#b35c00;font-weight:600}
.logbook-line{stroke:#6639ba;stroke-width:1.5;stroke-dasharray:3 3}
.logbook-glyph{font-size:14px;fill:#6639ba}
.bound{stroke:var(--fail);stroke-dasharray:6 4;stroke-width:1}
.sample.ok{fill:var(--ok)}.sample.fail{fill:var(--fail)}
.latency{fill:none;stroke:#0969da;stroke-width:1.5}
.latency-dot{fill:#0969da}
.legend{font-size:12px;color:var(--muted);margin:0 0 8px}
.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin:0 4px 0 12px;vertical-align:-1px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:12px}
.card{border:1px solid var(--line);border-left:6px solid var(--ok);border-radius:8px;padding:12px 16px}
.card.missed{border-left-color:var(--fail)}
.card h3{margin:0 0 6px;font-size:15px}
.card .big{font-size:26px;font-weight:700}
.card .big small{font-size:14px;font-weight:400;color:var(--muted)}
.card p{margin:6px 0;color:var(--muted);font-size:13px}
.card dl{display:grid;grid-template-columns:auto 1fr;gap:0 12px;margin:6px 0 0;font-size:13px}
.card dt{color:var(--muted)}.card dd{margin:0;font-variant-numeric:tabular-nums}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{text-align:left;padding:6px 10px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--bg)}
td.num{font-variant-numeric:tabular-nums;white-space:nowrap}
.bad{color:var(--fail);font-weight:600}
details pre{background:var(--bg);padding:12px;border-radius:8px;overflow:auto;font-size:12px}
footer{margin-top:32px;color:var(--muted);font-size:12px}
.card.unknown{border-left-color:var(--warn)}
.badge.unknown{color:var(--warn)}
.card.partial{border-left-color:var(--warn)}
.badge.partial{color:var(--warn)}
.ops.ok{fill:var(--ok);fill-opacity:.7}.ops.fail{fill:var(--fail)}
.latency-max{fill:none;stroke:#0969da;stroke-width:1.5}
.latency-mean{fill:none;stroke:#0969da;stroke-width:1;stroke-dasharray:3 2;opacity:.7}
.phase-bound{stroke:var(--muted);stroke-dasharray:2 3}
.lost-window{fill:var(--fail);fill-opacity:.12;stroke:var(--fail);stroke-opacity:.5}
.lost-mark{fill:var(--fail)}
.rpo-rto{display:grid;grid-template-columns:1fr 1fr;gap:12px}
.rpo-rto div{border:1px solid var(--line);border-radius:8px;padding:10px 16px}
.rpo-rto .big{font-size:22px;font-weight:700}
.lost-keys{font-size:13px;margin:6px 0 0}
.reasons { margin: 6px 0 0; padding-left: 18px; font-size: 13px; color: #57606a; }
.reasons b { color: #cf222e; }
`;
