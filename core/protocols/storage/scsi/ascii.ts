import { encodeFail } from '../../codec/bounds.js';

/** Writes `text` left-aligned in `width` bytes, space padded (SPC-4 ASCII fields). */
export function writeAsciiField(
  target: Uint8Array,
  offset: number,
  width: number,
  text: string,
  field: string,
): void {
  if (text.length > width) encodeFail(field, `at most ${width} characters, got ${text.length}`);
  for (let i = 0; i < width; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 0x20;
    if (code < 0x20 || code > 0x7e) encodeFail(field, 'printable ASCII only');
    target[offset + i] = code;
  }
}

/** Reads a space-padded ASCII field, dropping the trailing padding. */
export function readAsciiField(bytes: Uint8Array, offset: number, width: number): string {
  let end = width;
  while (end > 0 && (bytes[offset + end - 1] === 0x20 || bytes[offset + end - 1] === 0)) end--;
  let text = '';
  for (let i = 0; i < end; i++) text += String.fromCharCode(bytes[offset + i]);
  return text;
}
