// What an import did, said per source location: each part that was mapped (and to what), each
// part that was not imported (a gap: named, with why), and each change of meaning worth knowing.
// A converter never drops anything silently: what it does not map, it reports here.
import type { SourceDocument } from './source-documents.js';

export type PathSegment = string | number;

export interface Finding {
  file: string;
  line: number;
  column: number;
  text: string;
}

/** One file the import writes: a faultline experiment or schedule, with a comment at each gap. */
export interface Draft {
  /** File name, relative to the output directory. */
  name: string;
  kind: 'Experiment' | 'Schedule';
  data: Record<string, unknown>;
  /** Comment lines at the top of the file. */
  header: string[];
  /** A comment before the node at `path` (or at the end of the deepest collection that exists). */
  comments: { path: PathSegment[]; text: string }[];
  /** Comment lines at the end of the file (suggestions, commented out). */
  footer: string[];
}

export interface Conversion {
  /** What the source was, e.g. "Chaos Mesh PodChaos pod-kill-example". */
  source: string;
  drafts: Draft[];
  mapped: Finding[];
  gaps: Finding[];
  notes: Finding[];
}

export function formatFinding(f: Finding): string {
  return `${f.file}:${f.line}:${f.column}: ${f.text}`;
}

/** Collects the findings of one source document, located. */
export class Findings {
  readonly mapped: Finding[] = [];
  readonly gaps: Finding[] = [];
  readonly notes: Finding[] = [];

  constructor(private readonly doc: SourceDocument) {}

  private at(path: readonly PathSegment[], text: string): Finding {
    return { file: this.doc.file, ...this.doc.at(path), text };
  }

  map(path: readonly PathSegment[], text: string): void {
    this.mapped.push(this.at(path, text));
  }

  note(path: readonly PathSegment[], text: string): void {
    this.notes.push(this.at(path, text));
  }

  /** Not imported; with `draft`, the written file carries a comment at `outPath`. */
  gap(path: readonly PathSegment[], text: string, draft?: Draft, outPath: PathSegment[] = []): void {
    const f = this.at(path, text);
    this.gaps.push(f);
    draft?.comments.push({ path: outPath, text: `NOT IMPORTED (${f.file}:${f.line}): ${text}` });
  }
}
