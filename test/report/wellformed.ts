// A minimal XML well-formedness check, enough to catch what a renderer can get wrong: unbalanced
// or misnested tags, unquoted or duplicate attributes, raw "<" or "&", characters XML forbids.
const NAME = /^[A-Za-z_:][A-Za-z0-9_:.-]*/;
const REFERENCE = /^&(?:lt|gt|amp|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);/;
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/** Null when well-formed, otherwise what is wrong and where. */
export function xmlProblem(xml: string): string | null {
  if (FORBIDDEN.test(xml)) return 'a character XML cannot represent';
  const stack: string[] = [];
  let roots = 0;
  let i = xml.startsWith('<?xml') ? xml.indexOf('?>') + 2 : 0;
  const text = (s: string, at: number): string | null => {
    for (let k = s.indexOf('&'); k !== -1; k = s.indexOf('&', k + 1)) {
      if (!REFERENCE.test(s.slice(k))) return `bad "&" at ${at + k}`;
    }
    if (stack.length === 0 && s.trim() !== '') return `text outside the root at ${at}`;
    return null;
  };
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const chunk = xml.slice(i, lt === -1 ? xml.length : lt);
    const bad = text(chunk, i);
    if (bad) return bad;
    if (lt === -1) break;
    if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt);
      if (end === -1) return 'unterminated comment';
      i = end + 3;
      continue;
    }
    if (xml.startsWith('</', lt)) {
      const m = NAME.exec(xml.slice(lt + 2));
      if (!m || xml[lt + 2 + m[0].length] !== '>') return `bad end tag at ${lt}`;
      if (stack.pop() !== m[0]) return `mismatched </${m[0]}> at ${lt}`;
      i = lt + 3 + m[0].length;
      continue;
    }
    const m = NAME.exec(xml.slice(lt + 1));
    if (!m) return `bad "<" at ${lt}`;
    if (stack.length === 0 && roots++ > 0) return `second root element at ${lt}`;
    let j = lt + 1 + m[0].length;
    const seen = new Set<string>();
    for (;;) {
      const ws = /^\s*/.exec(xml.slice(j))![0].length;
      j += ws;
      if (xml.startsWith('/>', j)) { j += 2; break; }
      if (xml[j] === '>') { stack.push(m[0]); j += 1; break; }
      if (ws === 0) return `missing space before attribute at ${j}`;
      const a = NAME.exec(xml.slice(j));
      if (!a) return `bad attribute at ${j}`;
      if (seen.has(a[0])) return `duplicate attribute ${a[0]} at ${j}`;
      seen.add(a[0]);
      j += a[0].length;
      const eq = /^\s*=\s*/.exec(xml.slice(j));
      if (!eq) return `attribute ${a[0]} without a value at ${j}`;
      j += eq[0].length;
      const quote = xml[j];
      if (quote !== '"' && quote !== "'") return `unquoted attribute ${a[0]} at ${j}`;
      const close = xml.indexOf(quote, j + 1);
      if (close === -1) return `unterminated attribute ${a[0]}`;
      const value = xml.slice(j + 1, close);
      if (value.includes('<')) return `"<" in attribute ${a[0]}`;
      const badValue = text(value, j + 1);
      if (badValue && !badValue.startsWith('text outside')) return badValue;
      j = close + 1;
    }
    i = j;
  }
  if (stack.length) return `unclosed <${stack.at(-1)}>`;
  return roots === 1 ? null : 'no root element';
}
