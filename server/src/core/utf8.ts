/**
 * UTF-8 through the WHATWG Encoding API. Every JavaScript host provides it (Node, browsers, Deno),
 * but the ECMAScript library types leave it out, and the host-independent floors load no host
 * types: so the two classes are declared here, once, with the members used.
 */
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  decode(input?: Uint8Array): string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The UTF-8 bytes of a string (a lone surrogate becomes U+FFFD's bytes). */
export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
}

/** A string from UTF-8 bytes; an invalid sequence becomes U+FFFD. */
export function utf8Decode(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}
