import { base64Encode, sha256Hex } from '../helm/template/crypto';

/**
 * The encodings a generator needs without Node's `crypto` or `Buffer` (front ends stay
 * host-independent): a Secret's base64 as Kustomize lays it out, Go's JSON encoding and the name
 * hash built on it. SHA-256 and base64 themselves are the Helm front end's (Sprig needs them too).
 */

/**
 * Base64 of the UTF-8 bytes of `text` as Kustomize writes a generated Secret's values: broken into
 * lines of 70 characters, each ending in a newline, once the encoding reaches 70 characters
 * (kyaml's encodeBase64).
 */
export function secretBase64(text: string): string {
  const encoded = base64Encode(text);
  const lineLength = 70;
  if (encoded.length < lineLength) return encoded;
  let out = '';
  for (let i = 0; i < encoded.length; i += lineLength) out += `${encoded.slice(i, i + lineLength)}\n`;
  return out;
}

/**
 * JSON as Go's encoding/json writes it: object keys sorted, and `<`, `>`, `&`, U+2028 and U+2029
 * escaped (Go escapes HTML-significant characters by default).
 */
export function goJson(value: unknown): string {
  return encodeJson(value).replace(/[<>&\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Keys are sorted as strings ("10" before "9"), which JSON.stringify on a plain object would not do. */
function encodeJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(encodeJson).join(',')}]`;
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${keys.map((key) => `${JSON.stringify(key)}:${encodeJson(record[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Kustomize's name suffix: the first ten hex digits of the SHA-256, with 0, 1, 3, a and e replaced
 * (g, h, k, m, t) so the suffix never reads as a word or a number (kubectl's hash encoding).
 */
export function nameHash(encoded: string): string {
  const map: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };
  return sha256Hex(encoded)
    .slice(0, 10)
    .replace(/[013ae]/g, (ch) => map[ch]);
}
