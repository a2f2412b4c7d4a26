import { splitIdentifier, stem, STOPWORDS } from './text.js';

/** What the parameter extractor needs to know about one property of a tool's JSON Schema. */
export interface PropInfo {
  name: string;
  /** JSON Schema type (first non-null one), if stated. */
  type: 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object' | undefined;
  /** Type of the items when `type` is `array`. */
  itemType: PropInfo['type'];
  /** Allowed values (`enum`, or `const`, or the items' enum for arrays). */
  enumValues: string[] | undefined;
  description: string;
  format: string | undefined;
  /** True when the property takes an artifact id (`x-artifact`, on it or on its items). */
  artifact: boolean;
  required: boolean;
  /** Lowercase words of the name (`sourceDialect` → source, dialect). */
  words: string[];
  /** Ways the text may name it, longest first (`source dialect`, `source`…). */
  keyPhrases: string[];
  /** Stemmed words of name + description + `x-ask` (to match artifact kinds). */
  hintTerms: Set<string>;
}

/** Trailing name words that do not identify what the property is about. */
const GENERIC = new Set(['name', 'id', 'ids', 'value', 'key', 'artifact', 'artifacts']);

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Resolves `anyOf`/`oneOf` with a null branch (nullable) to the non-null branch, keeping outer keys. */
function unwrap(schema: Json): Json {
  for (const key of ['anyOf', 'oneOf'] as const) {
    const alts = schema[key];
    if (Array.isArray(alts)) {
      const nonNull = alts.filter((a) => isObj(a) && a.type !== 'null') as Json[];
      if (nonNull.length === 1) {
        const { [key]: _drop, ...outer } = schema;
        return { ...unwrap(nonNull[0]!), ...outer };
      }
    }
  }
  return schema;
}

function typeOf(schema: Json): PropInfo['type'] {
  const t = schema.type;
  const list = Array.isArray(t) ? t : [t];
  for (const x of list) {
    if (x === 'string' || x === 'number' || x === 'integer' || x === 'boolean' || x === 'array' || x === 'object') return x;
  }
  if (Array.isArray(schema.enum)) return 'string';
  return undefined;
}

function enumOf(schema: Json): string[] | undefined {
  if (Array.isArray(schema.enum)) {
    const vals = schema.enum.filter((v) => typeof v === 'string' || typeof v === 'number') as (string | number)[];
    return vals.length ? vals.map(String) : undefined;
  }
  if (typeof schema.const === 'string') return [schema.const];
  return undefined;
}

function keyPhrasesOf(words: string[]): string[] {
  const phrases = new Set<string>();
  const significant = words.filter((w) => !STOPWORDS.has(w));
  if (words.length) phrases.add(words.join(' '));
  let trimmed = [...words];
  while (trimmed.length > 1 && GENERIC.has(trimmed[trimmed.length - 1]!)) {
    trimmed = trimmed.slice(0, -1);
    phrases.add(trimmed.join(' '));
  }
  // The head word alone (`table` for tableName), unless it is generic or a stopword.
  const head = trimmed[trimmed.length - 1];
  if (head && !GENERIC.has(head) && !STOPWORDS.has(head) && significant.length) phrases.add(head);
  return [...phrases].filter((p) => p.length >= 2).sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
}

/** Reads a tool's `inputSchema` into the extractor's view of its properties (schema order kept). */
export function readProps(inputSchema: Record<string, unknown>): PropInfo[] {
  const props = isObj(inputSchema.properties) ? inputSchema.properties : {};
  const required = new Set(Array.isArray(inputSchema.required) ? inputSchema.required.filter((r) => typeof r === 'string') : []);
  const out: PropInfo[] = [];
  for (const [name, raw] of Object.entries(props)) {
    if (!isObj(raw)) continue;
    const schema = unwrap(raw);
    const type = typeOf(schema);
    const items = type === 'array' && isObj(schema.items) ? unwrap(schema.items) : undefined;
    const description = typeof schema.description === 'string' ? schema.description : '';
    const ask = typeof schema['x-ask'] === 'string' ? schema['x-ask'] : '';
    const words = splitIdentifier(name);
    const hintTerms = new Set(
      [...words, ...splitIdentifier(description), ...splitIdentifier(ask)].filter((w) => !STOPWORDS.has(w)).map(stem),
    );
    out.push({
      name,
      type,
      itemType: items ? typeOf(items) : undefined,
      enumValues: enumOf(schema) ?? (items ? enumOf(items) : undefined),
      description,
      format: typeof schema.format === 'string' ? schema.format : items && typeof items.format === 'string' ? items.format : undefined,
      artifact: Boolean(schema['x-artifact']) || Boolean(items?.['x-artifact']),
      required: required.has(name),
      words,
      keyPhrases: keyPhrasesOf(words),
      hintTerms,
    });
  }
  return out;
}
