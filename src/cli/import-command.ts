// `faultline import`: reads Chaos Toolkit and Chaos Mesh files, converts them (src/import/, pure),
// prints per file what was mapped to what and what was not imported, and writes the faultline files.
// A file with gaps is written only with --partial (then with a comment at each gap).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FaultlineError } from '../domain/errors.js';
import { printable } from '../domain/printable.js';
import { formatFinding, importText, renderDraft, type Conversion } from '../import/index.js';
import { readDocumentFile } from '../spec/load-document.js';
import type { Terminal } from './terminal.js';

export interface ImportOptions {
  out: string;
  partial?: boolean;
}

/** `env` resolves Chaos Toolkit configuration that faultline cannot read from the environment when it runs. */
export async function importCommand(files: string[], o: ImportOptions, term: Terminal, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let bad = 0;
  const written = new Set<string>();
  for (const file of files) {
    let conversions: Conversion[];
    try {
      conversions = importText(readDocumentFile(file, 'a Chaos Toolkit or Chaos Mesh'), file, env);
    } catch (e) {
      if (!(e instanceof FaultlineError)) throw e;
      bad++;
      term.err(printable(e.message));
      continue;
    }
    for (const c of conversions) if (!report(c, o, term, written)) bad++;
  }
  if (files.length > 1 || bad > 0) term.out(bad === 0 ? 'every import written' : `${bad} import(s) not written`);
  return bad > 0 ? 2 : 0;
}

/** Prints what one conversion did and writes its files; false when nothing was written. */
function report(c: Conversion, o: ImportOptions, term: Terminal, written: Set<string>): boolean {
  term.out(`${c.source}:`);
  for (const m of c.mapped) term.out(`  mapped        ${printable(formatFinding(m))}`);
  for (const n of c.notes) term.out(`  note          ${printable(formatFinding(n))}`);
  for (const g of c.gaps) term.out(`  NOT IMPORTED  ${printable(formatFinding(g))}`);
  if (c.drafts.length === 0) {
    term.err(`  not written: no fault could be imported (${c.gaps.length === 0 ? 'nothing to convert' : 'see NOT IMPORTED above'})`);
    return false;
  }
  if (c.gaps.length > 0 && !o.partial) {
    term.err(`  not written: ${c.gaps.length} part(s) not imported; pass --partial to write it with a comment at each`);
    return false;
  }
  mkdirSync(o.out, { recursive: true });
  for (const draft of c.drafts) {
    const path = join(o.out, draft.name);
    if (written.has(path)) {
      term.err(`  not written: ${path} was already written by this import (two sources with the same name)`);
      return false;
    }
    written.add(path);
    writeFileSync(path, renderDraft(draft));
    term.out(`  wrote         ${path}`);
  }
  return true;
}
