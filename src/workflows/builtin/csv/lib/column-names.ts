/** A header name that had to change. */
export interface RenamedColumn {
  index: number;
  original: string;
  name: string;
}

/**
 * Column names from a header record: trimmed; empty names become `column_<n>` (1-based position);
 * repeated names get `_2`, `_3`… so every name is unique. Without a header, names are
 * `column_1` … `column_<count>`.
 */
export function columnNames(header: readonly string[] | null, count: number): { names: string[]; renamed: RenamedColumn[] } {
  const names: string[] = [];
  const renamed: RenamedColumn[] = [];
  const used = new Set<string>();
  for (let i = 0; i < count; i++) {
    const original = header?.[i] ?? '';
    let name = header ? original.trim() : '';
    if (name === '') name = `column_${i + 1}`;
    if (used.has(name)) {
      let k = 2;
      while (used.has(`${name}_${k}`)) k++;
      name = `${name}_${k}`;
    }
    used.add(name);
    names.push(name);
    if (header && name !== original) renamed.push({ index: i, original, name });
  }
  return { names, renamed };
}
