import type { JsonSchema } from './schema-type.js';

const asSchema = (v: unknown): JsonSchema => (v && typeof v === 'object' && !Array.isArray(v) ? (v as JsonSchema) : {});

/**
 * The smallest plausible value for a JSON Schema: used by `validate` to compile a plan with
 * "minimal parameters". Best effort: patterns other than artifact ids are not solved, so a value
 * may still be rejected (validate then reports a warning, not a problem).
 */
export function sampleValue(schema: JsonSchema): unknown {
  if ('default' in schema) return schema.default;
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  const union = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined;
  if (union && union.length > 0) {
    const nonNull = union.map(asSchema).find((s) => s.type !== 'null');
    return sampleValue(nonNull ?? asSchema(union[0]));
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  const n = (v: unknown) => (typeof v === 'number' && Math.abs(v) < Number.MAX_SAFE_INTEGER ? v : undefined);
  switch (type) {
    case 'string': {
      if (schema['x-artifact'] === true) return 'art_sample';
      if (schema.format === 'date-time') return '2024-01-01T00:00:00Z';
      if (schema.format === 'date') return '2024-01-01';
      if (schema.format === 'email') return 'someone@example.com';
      if (schema.format === 'uri' || schema.format === 'url') return 'https://example.com/';
      const s = 'sample'.padEnd(n(schema.minLength) ?? 0, 'x');
      return s.slice(0, n(schema.maxLength) ?? s.length);
    }
    case 'integer':
    case 'number': {
      const min = n(schema.minimum) ?? (n(schema.exclusiveMinimum) !== undefined ? Math.floor(n(schema.exclusiveMinimum)!) + 1 : undefined);
      const max = n(schema.maximum) ?? (n(schema.exclusiveMaximum) !== undefined ? Math.ceil(n(schema.exclusiveMaximum)!) - 1 : undefined);
      if (min !== undefined) return Math.ceil(min);
      if (max !== undefined && max < 1) return Math.floor(max);
      return 1;
    }
    case 'boolean':
      return false;
    case 'null':
      return null;
    case 'array': {
      const min = n(schema.minItems) ?? 0;
      return Array.from({ length: min }, () => sampleValue(asSchema(schema.items)));
    }
    case 'object':
      return sampleParams(schema);
    default:
      return 'sample';
  }
}

/** Values for the required properties of an object schema (optional ones are left out). */
export function sampleParams(schema: JsonSchema): Record<string, unknown> {
  const props = asSchema(schema.properties);
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  return Object.fromEntries(required.filter((k) => k in props).map((k) => [k, sampleValue(asSchema(props[k]))]));
}
