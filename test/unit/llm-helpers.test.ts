import { describe, expect, it } from 'vitest';
import { extractJsonObject } from '../../src/llm/json-reply.js';
import { readProps } from '../../src/llm/schema-props.js';
import { stem } from '../../src/llm/text.js';
import { API_TOOL_NAME, ToolNameMap, toApiToolName } from '../../src/llm/tool-names.js';

describe('tool names', () => {
  it('maps names into the API alphabet and back', () => {
    const names = ['jil.parse', 'jil.to_airflow', 'csv profile/v2', 'x'.repeat(80)];
    const map = new ToolNameMap(names);
    for (const n of names) {
      expect(map.api(n)).toMatch(API_TOOL_NAME);
      expect(map.original(map.api(n))).toBe(n);
    }
    expect(map.api('jil.parse')).toBe('jil_parse');
    expect(map.original('never_offered')).toBeUndefined();
    expect(toApiToolName('')).toMatch(API_TOOL_NAME);
  });

  it('keeps colliding names apart, even at 64 characters', () => {
    const long = 'a'.repeat(70);
    const map = new ToolNameMap(['a.b', 'a_b', 'a-b', `${long}.x`, `${long}_y`]);
    const apis = ['a.b', 'a_b', 'a-b', `${long}.x`, `${long}_y`].map((n) => map.api(n));
    expect(new Set(apis).size).toBe(5);
    for (const a of apis) expect(a).toMatch(API_TOOL_NAME);
    expect(map.original(map.api(`${long}_y`))).toBe(`${long}_y`);
  });
});

describe('extractJsonObject', () => {
  it.each([
    ['{"a":1}', { a: 1 }],
    ['Here it is:\n```json\n{"a":"art_1"}\n```\nDone.', { a: 'art_1' }],
    ['Result: {"a":{"b":"}"}} trailing', { a: { b: '}' } }],
    ['noise {not json} then {"ok":true}', { ok: true }],
  ])('%s', (text, expected) => {
    expect(extractJsonObject(text)).toEqual(expected);
  });

  it.each(['', 'no json here', '[1,2,3]', '{"unterminated": ', '"a string"'])('%s → undefined', (text) => {
    expect(extractJsonObject(text)).toBeUndefined();
  });
});

describe('text and schema helpers', () => {
  it('stems inflections to one form', () => {
    expect(new Set(['parse', 'parser', 'parsing', 'parsed'].map(stem)).size).toBe(1);
    expect(new Set(['profile', 'profiles', 'profiling'].map(stem)).size).toBe(1);
    expect(stem('csv')).toBe('csv');
  });

  it('reads nullable, enum, array and artifact properties from a JSON Schema', () => {
    const props = readProps({
      type: 'object',
      properties: {
        sourceDialect: { anyOf: [{ type: 'string', enum: ['postgres', 'mysql'] }, { type: 'null' }], description: 'From' },
        inputIds: { type: 'array', items: { type: 'string', 'x-artifact': true } },
        tableName: { type: 'string', 'x-ask': 'Which table?' },
      },
      required: ['tableName'],
    });
    expect(props.map((p) => [p.name, p.type, p.artifact, p.required])).toEqual([
      ['sourceDialect', 'string', false, false],
      ['inputIds', 'array', true, false],
      ['tableName', 'string', false, true],
    ]);
    expect(props[0]!.enumValues).toEqual(['postgres', 'mysql']);
    expect(props[2]!.keyPhrases).toEqual(['table name', 'table']);
  });
});
