// Turns a file's bytes into text, or explains what the file is instead: a compressed or binary file,
// UTF-16/UTF-32 as some Windows editors save it, or bytes that are not UTF-8. The explanation never
// quotes the bytes themselves, so nothing raw reaches a terminal. UTF-8 with a byte-order mark is
// accepted (the mark is dropped).
import { MAX_FILE_BYTES, formatBytes } from './input-limits.js';

export type Decoded = { ok: true; text: string } | { ok: false; message: string; line?: number; column?: number };

/** Formats recognised by their first bytes; what to do about each. */
const MAGIC: { bytes: number[]; what: string; fix: string }[] = [
  { bytes: [0x1f, 0x8b], what: 'a gzip-compressed file', fix: 'decompress it first (gunzip) and pass the .yaml or .json inside' },
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'a zip archive', fix: 'extract it first and pass the .yaml or .json inside' },
  { bytes: [0x42, 0x5a, 0x68], what: 'a bzip2-compressed file', fix: 'decompress it first (bunzip2) and pass the .yaml or .json inside' },
  { bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], what: 'an xz-compressed file', fix: 'decompress it first (unxz) and pass the .yaml or .json inside' },
  { bytes: [0x28, 0xb5, 0x2f, 0xfd], what: 'a zstd-compressed file', fix: 'decompress it first (unzstd) and pass the .yaml or .json inside' },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document', fix: 'pass the experiment file itself (YAML or JSON text)' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image', fix: 'pass the experiment file itself (YAML or JSON text)' },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], what: 'an executable (ELF)', fix: 'pass the experiment file itself (YAML or JSON text)' },
];

/** Byte-order marks of encodings faultline does not read, longest first (UTF-32 LE starts like UTF-16 LE). */
const FOREIGN_BOMS: { bytes: number[]; name: string }[] = [
  { bytes: [0xff, 0xfe, 0x00, 0x00], name: 'UTF-32 (LE, with a byte-order mark)' },
  { bytes: [0x00, 0x00, 0xfe, 0xff], name: 'UTF-32 (BE, with a byte-order mark)' },
  { bytes: [0xff, 0xfe], name: 'UTF-16 (LE, with a byte-order mark)' },
  { bytes: [0xfe, 0xff], name: 'UTF-16 (BE, with a byte-order mark)' },
];

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const SAVE_AS_UTF8 = 'save it as UTF-8 (in most editors: "Save with encoding" or "File encoding: UTF-8")';

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

export function decodeText(bytes: Uint8Array): Decoded {
  if (bytes.length > MAX_FILE_BYTES) return { ok: false, message: `the file is ${formatBytes(bytes.length)}; a faultline file is at most ${formatBytes(MAX_FILE_BYTES)} (is this the right file?)` };
  for (const m of MAGIC) if (startsWith(bytes, m.bytes)) return { ok: false, message: `this is ${m.what}, not YAML or JSON text: ${m.fix}` };
  for (const bom of FOREIGN_BOMS) if (startsWith(bytes, bom.bytes)) return { ok: false, message: `this file is ${bom.name}; ${SAVE_AS_UTF8}` };
  const body = startsWith(bytes, UTF8_BOM) ? bytes.subarray(UTF8_BOM.length) : bytes;
  const utf16 = utf16WithoutBom(body);
  if (utf16) return { ok: false, message: `this file looks like ${utf16} (every other byte is zero); ${SAVE_AS_UTF8}` };
  const text = new TextDecoder('utf-8').decode(body);
  const nul = text.indexOf('\0');
  if (nul >= 0) return { ok: false, ...positionIn(text, nul), message: 'this is a binary file, not YAML or JSON text (it contains a NUL byte here): pass the experiment file itself' };
  const bad = firstInvalid(text, body);
  if (bad !== undefined) {
    return { ok: false, ...positionIn(text, bad.index), message: `this file is not valid UTF-8 (byte 0x${bad.byte.toString(16).toUpperCase().padStart(2, '0')} here; it may be Latin-1 or Windows-1252); ${SAVE_AS_UTF8}` };
  }
  return { ok: true, text };
}

/** "UTF-16 LE without a byte-order mark" when most of the first bytes alternate with zeros. */
function utf16WithoutBom(bytes: Uint8Array): string | undefined {
  const n = Math.min(bytes.length, 512) & ~1;
  if (n < 4) return undefined;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZeros++;
    if (bytes[i + 1] === 0) oddZeros++;
  }
  const half = n / 2;
  if (oddZeros > half * 0.8 && evenZeros === 0) return 'UTF-16 (LE, without a byte-order mark)';
  if (evenZeros > half * 0.8 && oddZeros === 0) return 'UTF-16 (BE, without a byte-order mark)';
  return undefined;
}

/**
 * The first replacement character the decoder put in place of invalid bytes. A U+FFFD written in
 * the file itself (bytes EF BF BD) is text, not an error. Everything before the first invalid byte
 * decoded faithfully, so its UTF-8 length is the byte offset.
 */
function firstInvalid(text: string, bytes: Uint8Array): { index: number; byte: number } | undefined {
  let from = 0;
  for (;;) {
    const index = text.indexOf('\uFFFD', from);
    if (index < 0) return undefined;
    const offset = Buffer.byteLength(text.slice(0, index), 'utf8');
    if (!(bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd)) return { index, byte: bytes[offset]! };
    from = index + 1;
  }
}

function positionIn(text: string, index: number): { line: number; column: number } {
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  return { line, column: index - before.lastIndexOf('\n') };
}
