// The logbook in the reports: the notes and Detected marks typed in the live console, each with
// its absolute and relative time, and the human time to detect (the first Detected mark after
// the first fault). Shapes and words carry the meaning: ✎ a note, ⚑ a detection.
import { DETECTION_LABEL, humanDetection, logbookOf, type LogbookEvent } from '../domain/logbook.js';
import type { Journal } from '../domain/model.js';
import { formatDuration } from '../domain/units.js';
import { escapeXml as esc } from './escape.js';
import { offset } from './format.js';

export function logbookGlyph(e: LogbookEvent): string {
  return e.type === 'detected' ? '⚑' : '✎';
}

export function logbookText(e: LogbookEvent): string {
  return e.type === 'detected' ? `detected by ${e.by} through ${DETECTION_LABEL[e.via]}${e.text ? `: ${e.text}` : ''}` : e.text;
}

/** "alice noticed through a dashboard 12.3s after the first fault"; undefined without a Detected mark. */
export function humanDetectionLine(journal: Pick<Journal, 'events'>): string | undefined {
  const d = humanDetection(journal);
  if (!d) return undefined;
  const when = d.afterMs === null ? 'before any fault was injected' : `${formatDuration(d.afterMs)} after the first fault`;
  return `human time to detect: ${d.afterMs === null ? '—' : formatDuration(d.afterMs)} (${d.mark.by} noticed through ${DETECTION_LABEL[d.mark.via]}, ${when})`;
}

/** The report's logbook section; empty when nothing was noted. */
export function renderLogbookHtml(journal: Journal): string {
  const entries = logbookOf(journal);
  if (!entries.length) return '';
  const detection = humanDetectionLine(journal);
  const rows = entries
    .map((e) => `<tr class="logbook ${e.type}"><td class="num">${esc(new Date(e.t).toISOString())}</td><td class="num">${esc(offset(e.t, journal.startedAt))}</td><td>${logbookGlyph(e)} ${esc(logbookText(e))}</td></tr>`)
    .join('');
  return [
    '<h2>Logbook</h2>',
    detection ? `<p class="detection"><b>⚑ ${esc(detection)}</b></p>` : '<p>No one marked the fault as detected.</p>',
    `<table><thead><tr><th>Time (UTC)</th><th>Since start</th><th>Entry</th></tr></thead><tbody>${rows}</tbody></table>`,
  ].join('');
}
