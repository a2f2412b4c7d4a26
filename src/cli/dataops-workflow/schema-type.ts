/** A JSON Schema node as zod's toJSONSchema writes it (only the parts the docs read). */
export type JsonSchema = Record<string, unknown>;

const asSchema = (v: unknown): JsonSchema => (v && typeof v === 'object' && !Array.isArray(v) ? (v as JsonSchema) : {});
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
/** zod writes the safe-integer range on every `.int()`; that is no real bound. */
const bound = (v: unknown): number | undefined => {
  const n = num(v);
  return n === undefined || Math.abs(n) >= Number.MAX_SAFE_INTEGER ? undefined : n;
};

/**
 * A short human type for a parameter's schema: `string`, `integer (1–100)`, `"csv" | "tsv"`,
 * `string[]`, `artifact id`, `artifact id (csv, text)` (the kinds it accepts), `any`. Deterministic:
 * depends only on the schema.
 */
export function schemaType(schema: JsonSchema): string {
  if (schema['x-artifact'] === true) {
    const accepts = Array.isArray(schema['x-accepts']) ? (schema['x-accepts'] as unknown[]).filter((k) => typeof k === 'string') : [];
    return accepts.length ? `artifact id (${accepts.join(', ')})` : 'artifact id';
  }
  if ('const' in schema) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  const union = (Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined) as unknown[] | undefined;
  if (union) return union.map((s) => schemaType(asSchema(s))).join(' | ');
  const type = schema.type;
  if (Array.isArray(type)) return type.map((t) => schemaType({ ...schema, type: t })).join(' | ');
  const bounds = constraints(schema);
  const withBounds = (base: string) => (bounds ? `${base} (${bounds})` : base);
  switch (type) {
    case 'string':
      return withBounds(typeof schema.format === 'string' ? `string, ${schema.format}` : 'string');
    case 'integer':
    case 'number':
    case 'boolean':
    case 'null':
      return withBounds(type);
    case 'array': {
      const item = 'items' in schema ? schemaType(asSchema(schema.items)) : 'any';
      return withBounds(item.includes(' ') ? `(${item})[]` : `${item}[]`);
    }
    case 'object':
      return 'object';
    default:
      return 'any';
  }
}

/** Bounds of a schema in words: `1–100`, `≥ 0`, `1–200 characters`, `at most 10 items`, `matching /…/`. */
export function constraints(schema: JsonSchema): string {
  const out: string[] = [];
  const range = (min: number | undefined, max: number | undefined, unit: string) => {
    if (min !== undefined && max !== undefined) out.push(`${min}–${max}${unit}`);
    else if (min !== undefined) out.push(unit ? `at least ${min}${unit}` : `≥ ${min}`);
    else if (max !== undefined) out.push(unit ? `at most ${max}${unit}` : `≤ ${max}`);
  };
  range(bound(schema.minimum), bound(schema.maximum), '');
  if (num(schema.exclusiveMinimum) !== undefined) out.push(`> ${num(schema.exclusiveMinimum)}`);
  if (num(schema.exclusiveMaximum) !== undefined) out.push(`< ${num(schema.exclusiveMaximum)}`);
  range(num(schema.minLength), num(schema.maxLength), ' characters');
  range(num(schema.minItems), num(schema.maxItems), ' items');
  // A format (date-time, email, …) already names what its generated pattern checks.
  if (typeof schema.pattern === 'string' && schema['x-artifact'] !== true && typeof schema.format !== 'string') out.push(`matching /${schema.pattern}/`);
  return out.join(', ');
}

/** The properties of an object schema, in schema order, with whether each is required. */
export function schemaFields(schema: JsonSchema): { name: string; schema: JsonSchema; required: boolean }[] {
  const props = asSchema(schema.properties);
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  return Object.entries(props).map(([name, s]) => ({ name, schema: asSchema(s), required: required.has(name) }));
}
