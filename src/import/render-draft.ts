// A draft as YAML text: the data in faultline's key order, the header and footer comments, and a
// comment at each gap so a --partial import shows in the file itself what it left out.
import { Document, isCollection, isScalar, isSeq, visit, type Node } from 'yaml';
import type { Draft, PathSegment } from './findings.js';

const comment = (lines: string[]) => lines.map((l) => ` ${l}`).join('\n');

export function renderDraft(draft: Draft): string {
  const doc = new Document(draft.data);
  // A command line or a list of names reads best on one line: [cp, a, b].
  visit(doc, {
    Seq(_, node) {
      if (node.items.every((i) => isScalar(i))) node.flow = true;
    },
  });
  if (draft.header.length > 0) doc.commentBefore = comment(draft.header);
  for (const c of draft.comments) attach(doc, c.path, ` ${c.text}`);
  if (draft.footer.length > 0) doc.comment = comment(draft.footer);
  return doc.toString({ lineWidth: 0 });
}

/** Before the node at `path`; when it does not exist (the part was left out), at the end of the deepest collection that does. */
function attach(doc: Document, path: PathSegment[], text: string): void {
  for (let n = path.length; n >= 0; n--) {
    const node = (n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true)) as Node | null | undefined;
    if (node === null || node === undefined || typeof node !== 'object') continue;
    if (n === path.length && n > 0) {
      node.commentBefore = node.commentBefore ? `${node.commentBefore}\n${text}` : text;
      return;
    }
    if (isCollection(node)) {
      node.comment = node.comment ? `${node.comment}\n${text}` : text;
      return;
    }
  }
  doc.commentBefore = doc.commentBefore ? `${doc.commentBefore}\n${text}` : text;
}
