/**
 * Finds the JSON object in a model's reply: the whole text, else a ```json fenced block, else the
 * first balanced `{…}` (string-aware brace matching) that parses. Returns undefined when there is
 * none. Never throws.
 */
export function extractJsonObject(text: string): Record<string, unknown> | undefined {
  const candidates: string[] = [text.trim()];
  for (const m of text.matchAll(/```(?:json|JSON)?\s*\n?([\s\S]*?)```/g)) candidates.push(m[1]!.trim());
  for (const c of candidates) {
    const v = tryParse(c);
    if (v) return v;
  }
  for (let start = text.indexOf('{'); start !== -1; start = text.indexOf('{', start + 1)) {
    const end = matchingBrace(text, start);
    if (end === -1) continue;
    const v = tryParse(text.slice(start, end + 1));
    if (v) return v;
  }
  return undefined;
}

function tryParse(s: string): Record<string, unknown> | undefined {
  if (!s.startsWith('{')) return undefined;
  try {
    const v: unknown = JSON.parse(s);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Index of the `}` closing the `{` at `start`, skipping braces inside strings; -1 if unbalanced. */
function matchingBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return i;
  }
  return -1;
}
