// Pure renderers: a Journal in, a string out.
export { renderJUnit } from './junit.js';
export { renderMarkdown } from './markdown.js';
export { renderVerdictTable, formatEvent } from './text.js';
export { renderHtml } from './html.js';
export { renderTimeline } from './timeline.js';
export { escapeXml, escapeAttr } from './escape.js';
export { renderFailedStartJUnit, renderFailedStartMarkdown, type FailedStart } from './failed-start.js';
export { outcome, formatValue, type Outcome } from './format.js';
export { painter, OWN_STYLE_CODES, type Paint } from './ansi.js';
