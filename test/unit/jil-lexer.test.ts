import { describe, expect, it } from 'vitest';
import { lexJil } from '../../src/workflows/builtin/jil/lib/lexer.js';
import { decodeValue } from '../../src/workflows/builtin/jil/lib/value-decode.js';

/** key=value pairs of a text, in order. */
function pairs(text: string): [string, string][] {
  return lexJil(text).tokens.map((t) => [t.key, t.value]);
}

describe('JIL lexer', () => {
  it.each<[string, string, [string, string][]]>([
    ['one pair per line', 'insert_job: A\njob_type: CMD\n', [['insert_job', 'A'], ['job_type', 'CMD']]],
    [
      'several pairs on one line',
      'insert_job: X   job_type: CMD box_name: B',
      [['insert_job', 'X'], ['job_type', 'CMD'], ['box_name', 'B']],
    ],
    ['no space after the colon', 'insert_job:X job_type:CMD', [['insert_job', 'X'], ['job_type', 'CMD']]],
    ['blank before the colon at line start', 'insert_job : X', [['insert_job', 'X']]],
    ['tabs between pairs', 'insert_job:\tX\tjob_type:\tb', [['insert_job', 'X'], ['job_type', 'b']]],
    ['value with spaces', 'command: /bin/echo hello world', [['command', '/bin/echo hello world']]],
    [
      'value runs until the next known attribute',
      'command: /bin/echo hello world   machine: localhost',
      [['command', '/bin/echo hello world'], ['machine', 'localhost']],
    ],
    ['URL in a command is not a key', 'command: curl http://x:80/a', [['command', 'curl http://x:80/a']]],
    ['word: that is no attribute stays in the value', 'command: echo a:b note: c', [['command', 'echo a:b note: c']]],
    ['identifier glued to text is not a key', 'command: echo x=machine:1', [['command', 'echo x=machine:1']]],
    [
      'known attribute inside double quotes stays in the value',
      'command: echo "machine: no" && true',
      [['command', 'echo "machine: no" && true']],
    ],
    ['escaped colon', 'watch_file: C\\:\\in\\f.csv', [['watch_file', 'C:\\in\\f.csv']]],
    ['escaped colon is not a key separator', 'command: echo machine\\: x', [['command', 'echo machine: x']]],
    ['quoted value loses its quotes', 'description: "Sample box job"', [['description', 'Sample box job']]],
    ['escaped quotes inside quotes', 'description: "a \\"b\\""', [['description', 'a "b"']]],
    ['command keeps its quotes', 'command: "C:\\run.bat" "x y"', [['command', '"C:\\run.bat" "x y"']]],
    ['two quoted strings are not one quoted value', 'description: "a" "b"', [['description', '"a" "b"']]],
    ['empty value', 'description:\nowner: me', [['description', ''], ['owner', 'me']]],
    ['empty value followed by a pair', 'description:   machine: m', [['description', ''], ['machine', 'm']]],
    ['trailing spaces and tabs trimmed', 'owner: me  \t ', [['owner', 'me']]],
    ['upper-case keys are lower-cased', 'JOB_TYPE: CMD Box_Name: B', [['job_type', 'CMD'], ['box_name', 'B']]],
    ['unknown key at line start is kept', 'my_site_attr: some value', [['my_site_attr', 'some value']]],
    ['# comment lines', '# c1\n   # c2\nowner: me # not a comment', [['owner', 'me # not a comment']]],
    ['/* */ comment spanning lines', '/* a\ninsert_job: NO\n*/ owner: me', [['owner', 'me']]],
    ['same-line trailing comment', 'insert_job: A   /* note */ job_type: CMD', [['insert_job', 'A'], ['job_type', 'CMD']]],
    ['/* in a command without a close is text', 'command: ls /*\nowner: me', [['command', 'ls /*'], ['owner', 'me']]],
    ['glob in a path is text', 'command: rm -f /data/*.csv /x/*/y', [['command', 'rm -f /data/*.csv /x/*/y']]],
    ['object context splits on object attributes', 'insert_machine: m1 type: a max_load: 5', [['insert_machine', 'm1'], ['type', 'a'], ['max_load', '5']]],
    ['job context does not split on machine-only attributes', 'insert_job: J\ncommand: echo type: a', [['insert_job', 'J'], ['command', 'echo type: a']]],
  ])('%s', (_name, text, expected) => {
    expect(pairs(text)).toEqual(expected);
  });

  it('handles CRLF, a BOM and a stray CR, with 1-based line and column numbers', () => {
    const { tokens, lines } = lexJil('\ufeffinsert_job: A\r\n\r\n  command: x y\r\r\nowner: o');
    expect(tokens).toEqual([
      { key: 'insert_job', value: 'A', line: 1, column: 1 },
      { key: 'command', value: 'x y', line: 3, column: 3 },
      { key: 'owner', value: 'o', line: 4, column: 1 },
    ]);
    expect(lines).toBe(4);
  });

  it('gives the line of each pair on multi-pair lines', () => {
    const { tokens } = lexJil('\n\ninsert_job: A job_type: CMD\nowner: o');
    expect(tokens.map((t) => [t.key, t.line, t.column])).toEqual([
      ['insert_job', 3, 1],
      ['job_type', 3, 15],
      ['owner', 4, 1],
    ]);
  });

  it('warns about text outside any pair, with its line', () => {
    const { tokens, warnings } = lexJil('insert_job: A\nthis is junk\nowner: o');
    expect(tokens.map((t) => t.key)).toEqual(['insert_job', 'owner']);
    expect(warnings).toEqual([{ line: 2, message: expect.stringContaining('this is junk') }]);
  });

  it('warns about a comment that never closes and ignores the rest', () => {
    const { tokens, warnings } = lexJil('owner: a\n/* open\ninsert_job: B\n');
    expect(tokens.map((t) => t.key)).toEqual(['owner']);
    expect(warnings).toEqual([{ line: 2, message: expect.stringContaining('never closed') }]);
  });

  it('is linear on long comment blocks and many unclosed /* in commands', () => {
    const many = `${'command: ls /*\n'.repeat(20_000)}/* ${'x\n'.repeat(20_000)} */\nowner: o\n`;
    const { tokens } = lexJil(many);
    expect(tokens).toHaveLength(20_001);
    expect(tokens[20_000]).toMatchObject({ key: 'owner', value: 'o' });
  });

  it('the fast path (no quotes, escapes or comments on the line) splits exactly like the full scan', () => {
    // A trailing same-line comment forces the character-by-character scan on that line; it must not
    // change the tokens.
    const fragments = [
      'insert_job:', 'command:', 'machine:', 'owner:', 'MACHINE:', 'job_type:CMD', 'box_name:', 'http://x:80/a',
      'a:b', 'echo', 'status_code:200', 'x=machine:1', 'foo_bar:', '1abc:', 'insert_machine:', 'type:', 'n_retrys:',
      'value', '  ', '\t', ':', '::', 'condition:', 's(A)', 'date +%H:%M', 'delete_job:', 'my_attr:', '#', 'tag:',
    ];
    let seed = 42;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const lines: string[] = [];
    for (let k = 0; k < 3000; k++) {
      const parts: string[] = [k % 2 === 0 ? 'insert_job:' : 'command:'];
      const count = 1 + rnd(8);
      for (let f = 0; f < count; f++) parts.push(fragments[rnd(fragments.length)] as string);
      lines.push(parts.join(rnd(3) === 0 ? '' : ' '));
    }
    const plain = lexJil(lines.join('\n')).tokens;
    const forced = lexJil(lines.map((l) => `${l} /* force the full scan */`).join('\n')).tokens;
    expect(plain.length).toBeGreaterThan(3000);
    expect(forced).toEqual(plain);
  });

  it('decodeValue checks for backslashes itself when not told', () => {
    expect(decodeValue('owner', 'a\\:b')).toBe('a:b');
    expect(decodeValue('description', '"x \\" y"')).toBe('x " y');
    expect(decodeValue('description', '"unterminated')).toBe('"unterminated');
  });
});
