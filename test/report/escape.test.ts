import { describe, expect, it } from 'vitest';
import { escapeAttr, escapeXml } from '../../src/report/index.js';
import { xmlProblem } from './wellformed.js';

describe('escapeXml', () => {
  it('escapes the five markup characters', () => {
    expect(escapeXml(`<&>"'`)).toBe('&lt;&amp;&gt;&quot;&#39;');
    expect(escapeXml('&amp;')).toBe('&amp;amp;');
  });

  it('shows control characters as visible codes, drops terminal escape sequences, keeps tab and newline', () => {
    expect(escapeXml('a\u0000b\u0001c\u001bd\u007f')).toBe('a\\u0000b\\u0001c\\u001bd\\u007f');
    expect(escapeXml('\u001b[31mred\u001b[0m')).toBe('red');
    // A lone CR would overwrite the line in a CI log; CRLF is just a line end.
    expect(escapeXml('\t\n\r\n\r')).toBe('\t\n\n\\u000d');
    expect(escapeXml('\uFFFE')).toBe('\\ufffe');
  });

  it('replaces lone surrogates but keeps pairs', () => {
    expect(escapeXml('x\uD800y')).toBe('x\\ud800y');
    expect(escapeXml('x\uDC00')).toBe('x\\udc00');
    expect(escapeXml('🔥')).toBe('🔥');
  });

  it('escapeAttr keeps line breaks through attribute normalisation', () => {
    expect(escapeAttr('a\nb\t"c"')).toBe('a&#10;b&#9;&quot;c&quot;');
  });

  it('produces well-formed XML from hostile text', () => {
    const hostile = `<&>"'\u0001\u0008\uD800]]><!-- -->`;
    expect(xmlProblem(`<a b="${escapeAttr(hostile)}" c='${escapeAttr(hostile)}'>${escapeXml(hostile)}</a>`)).toBeNull();
  });
});

describe('the well-formedness check itself', () => {
  it.each([
    ['<a><b></a></b>', /mismatched/],
    ['<a>&</a>', /bad "&"/],
    ['<a b=c/>', /unquoted/],
    ['<a b="1" b="2"/>', /duplicate/],
    ['<a>1 < 2</a>', /bad "<"/],
    ['<a/><b/>', /second root/],
    ['<a>', /unclosed/],
    ['<a>\u0001</a>', /cannot represent/],
  ])('rejects %s', (xml, why) => {
    expect(xmlProblem(xml)).toMatch(why);
  });

  it('accepts a declaration, comments, references and self-closing tags', () => {
    expect(xmlProblem('<?xml version="1.0"?>\n<a x=\'1\'><!-- c --><b y="&amp;&#10;&#x41;"/>t&lt;</a>\n')).toBeNull();
  });
});
