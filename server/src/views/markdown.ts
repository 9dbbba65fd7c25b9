/**
 * Text from a file shown in Markdown (hovers): escaped so that the file cannot add links, images,
 * HTML or emphasis of its own choosing (CommonMark 0.31, §2.4 backslash escapes, §6.1 code spans).
 */

/**
 * Plain text on one line: the characters that open links, images, HTML, entities, code and emphasis
 * anywhere in a line are backslash-escaped; line breaks become spaces, so no line-start syntax
 * (headings, lists) can arise.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ').replace(/[\\`*_{}[\]()!<>|~&]/g, (char) => `\\${char}`);
}

/** A code span around file text: the fence is one backtick longer than the longest run inside. */
export function inlineCode(text: string): string {
  const flat = text.replace(/[\r\n\u2028\u2029]+/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat.startsWith(' ') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}
