/** Glob patterns as Helm's `.Files.Glob` reads them (gobwas/glob with '/' as separator). */

/** Compiles `*` (within a path segment), `**` (across segments), `?`, `[abc]`, `{a,b}` to a RegExp. */
export function globToRegExp(pattern: string): RegExp {
  let out = '^';
  let inBraces = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        out += '.*';
        i++;
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 1);
      if (close === -1) out += '\\[';
      else {
        out += '[' + pattern.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\') + ']';
        i = close;
      }
    } else if (c === '{') {
      inBraces++;
      out += '(?:';
    } else if (c === '}' && inBraces > 0) {
      inBraces--;
      out += ')';
    } else if (c === ',' && inBraces > 0) out += '|';
    else if (c === '\\' && i + 1 < pattern.length) out += '\\' + pattern[++i];
    else out += c.replace(/[.+^$()|\\/]/g, '\\$&');
  }
  return new RegExp(out + '$');
}
