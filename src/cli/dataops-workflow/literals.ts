/** A single-quoted TypeScript string literal for `s` (escapes quotes, backslashes, control and line-separator characters). */
export function tsString(s: string): string {
  const body = s.replace(/[\\'\u0000-\u001f\u2028\u2029\u007f]/g, (c) => {
    switch (c) {
      case '\\':
        return '\\\\';
      case "'":
        return "\\'";
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      default:
        return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    }
  });
  return `'${body}'`;
}

/** `s` on one line, safe inside a `/* … *\/` comment. */
export function commentText(s: string): string {
  return oneLine(s).replace(/\*\//g, '* /');
}

/** `s` with every run of whitespace (newlines included) turned into one space, trimmed. */
export function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** `s` safe in one Markdown table cell: one line, pipes escaped. */
export function mdCell(s: string): string {
  return oneLine(s).replace(/\|/g, '\\|');
}
