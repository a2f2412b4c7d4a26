/**
 * `1 DAG file`, `2 DAG files`, `1 box`, `0 boxes`: a count with its noun in English number. The
 * plural is the noun + `s` (+ `es` after s, x, z, ch, sh; consonant + y → ies) unless given.
 */
export function plural(count: number, noun: string, pluralNoun?: string): string {
  if (count === 1) return `${count} ${noun}`;
  if (pluralNoun) return `${count} ${pluralNoun}`;
  const last = noun.split(' ').at(-1) ?? noun;
  const head = noun.slice(0, noun.length - last.length);
  const plain = /[^aeiou]y$/i.test(last) ? `${last.slice(0, -1)}ies` : /(?:s|x|z|ch|sh)$/i.test(last) ? `${last}es` : `${last}s`;
  return `${count} ${head}${plain}`;
}
