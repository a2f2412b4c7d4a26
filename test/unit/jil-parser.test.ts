import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { normalizeJobType } from '../../src/workflows/builtin/jil/lib/job-types.js';
import { JilParseResult, type JilJob } from '../../src/workflows/builtin/jil/lib/parse-schema.js';
import { parseJil } from '../../src/workflows/builtin/jil/lib/parser.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/jil/', import.meta.url));
const read = (name: string): string => readFileSync(`${FIXTURES}${name}`, 'utf8');
const parseFixture = (name: string) => parseJil(read(name));
function job(r: JilParseResult, name: string): JilJob {
  const j = r.jobs.find((x) => x.name === name);
  if (!j) throw new Error(`no job ${name} in ${r.jobs.map((x) => x.name).join(', ')}`);
  return j;
}

const ALL_FIXTURES = [
  ...readdirSync(FIXTURES).filter((f) => f.endsWith('.jil')),
  ...readdirSync(`${FIXTURES}public`)
    .filter((f) => f.endsWith('.jil'))
    .map((f) => `public/${f}`),
];

describe('parseJil on the public samples', () => {
  it('jilutil sample: a box with two command jobs', () => {
    const r = parseFixture('public/jilutil-sample.jil');
    expect(r.jobs.map((j) => [j.name, j.type, j.box, j.line])).toEqual([
      ['SAMPLE_BOX_JOB', 'BOX', null, 3],
      ['SAMPLE_CMD_JOB_1', 'CMD', 'SAMPLE_BOX_JOB', 15],
      ['SAMPLE_CMD_JOB_2', 'CMD', 'SAMPLE_BOX_JOB', 35],
    ]);
    const box = job(r, 'SAMPLE_BOX_JOB');
    expect(box.attributes).toMatchObject({
      date_conditions: true,
      days_of_week: ['su', 'mo', 'tu', 'we', 'th', 'fr', 'sa'],
      start_times: ['20:00'],
      description: 'Sample box job',
      alarm_if_fail: true,
      permission: 'gx,ge,wx,we,mx,me',
      group: 'SOME_GROUP',
    });
    const j1 = job(r, 'SAMPLE_CMD_JOB_1');
    expect(j1.attributes.command).toBe('"C:\\do_something1.bat"');
    expect(j1.attributes.std_out_file).toBe('%AUTOUSER%\\LOG\\out\\%AUTO_JOB_NAME%.%AUTOPID%.out');
    expect(j1.attributes.notification_emailaddress).toEqual(['admin@domain.com']);
    expect(j1.attributes.send_notification).toBe('F');
    expect(j1.attributes.success_codes).toBe('0');
    expect(j1.condition).toBeNull();
    const j2 = job(r, 'SAMPLE_CMD_JOB_2');
    expect(j2.condition).toEqual({ raw: 's(SAMPLE_CMD_JOB_1)', ast: { kind: 'status', status: 'success', job: 'SAMPLE_CMD_JOB_1' } });
    expect(j2.dependsOn).toEqual([{ job: 'SAMPLE_CMD_JOB_1', status: 'success' }]);
    expect(r.warnings).toEqual([]);
    expect(r.errors).toEqual([]);
    expect(r.stats).toMatchObject({ jobs: 3, boxes: 1, conditions: 1, dependencies: 1, lines: 52, jobsByType: { BOX: 1, CMD: 2 } });
  });

  it('orbiter demo: a dotted job name and a command with quoted arguments kept verbatim', () => {
    const r = parseFixture('public/orbiter-demo.jil');
    expect(r.jobs).toHaveLength(1);
    const j = job(r, 'foo.job');
    expect(j.type).toBe('CMD');
    expect(j.attributes).toEqual({
      job_type: 'CMD',
      command: '"C:\\\\ldhe\\\\cxl\\\\TidalDB\\\\startApp.cmd" "arg1" "arg2" "arg3"',
      machine: 'bar',
      owner: 'foo@bar.com',
      description: 'Foo Job',
    });
  });
});

describe('parseJil on the own fixtures', () => {
  it.each(ALL_FIXTURES)('%s validates against the zod result schema and keeps a line on every entry', (name) => {
    const r = parseFixture(name);
    expect(JilParseResult.safeParse(r).success).toBe(true);
    for (const j of r.jobs) expect(j.line).toBeGreaterThan(0);
    for (const o of r.objects) expect(o.line).toBeGreaterThan(0);
    expect(r.stats.jobs).toBe(r.jobs.length);
  });

  it('CRLF + BOM export parses exactly like its LF twin', () => {
    const crlf = read('crlf-export.jil');
    expect(crlf.includes('\r\n')).toBe(true);
    expect(crlf.charCodeAt(0)).toBe(0xfeff);
    const a = parseJil(crlf);
    const b = parseJil(crlf.slice(1).replace(/\r\n/g, '\n'));
    expect(a.jobs).toEqual(b.jobs);
    expect(a.jobs.map((j) => j.name)).toEqual(['WIN_BOX', 'WIN_EXTRACT', 'WIN_LOAD']);
    expect(job(a, 'WIN_BOX').attributes.start_times).toEqual(['06:15', '18:15']);
    expect(job(a, 'WIN_EXTRACT').attributes).toMatchObject({ command: 'C:\\batch\\extract.bat /full', n_retrys: 2, term_run_time: 45 });
    expect(job(a, 'WIN_LOAD').attributes.command).toBe('"C:\\Program Files\\Loader\\load.exe" --target dw');
    expect(job(a, 'WIN_LOAD').type).toBe('CMD');
    expect(Object.keys(job(a, 'WIN_BOX').attributes).every((k) => /^[a-z_]+$/.test(k))).toBe(true);
  });

  it('several attributes per line, with and without a space after the colon', () => {
    const r = parseFixture('multi-attr-lines.jil');
    expect(job(r, 'MA_BOX').attributes).toEqual({
      job_type: 'BOX',
      owner: 'etl@prod',
      date_conditions: true,
      days_of_week: ['all'],
      start_times: ['02:00'],
      description: 'Box written on one line',
    });
    expect(job(r, 'MA_HELLO').attributes).toEqual({ job_type: 'CMD', box_name: 'MA_BOX', command: '/bin/echo hello world', machine: 'localhost' });
    expect(job(r, 'MA_URL').attributes.command).toBe('curl -fsS http://api.internal:8080/v1/ping?x=a:b');
    expect(job(r, 'MA_URL').attributes.machine).toBe('apphost02');
    expect(job(r, 'MA_COLONS').attributes).toMatchObject({
      command: 'echo a:b c:d status_code:200 && date +%H:%M',
      n_retrys: 3,
      term_run_time: 30,
      std_out_file: '/tmp/ma.out',
      std_err_file: '/tmp/ma.err',
      condition: 's(MA_URL)',
    });
    expect(job(r, 'MA_QUOTED').attributes).toMatchObject({
      command: 'echo "machine: inside quotes stays in the command" --flag',
      machine: 'apphost02',
      description: 'note: owner: not an attribute here',
      max_run_alarm: 15,
    });
    expect(r.warnings).toEqual([]);
  });

  it('update_job merges, clears empty values, re-parses the condition; partial jobs and duplicate inserts warn', () => {
    const r = parseFixture('update-merge.jil');
    const um = job(r, 'UM_JOB');
    expect(um.attributes).toEqual({
      job_type: 'CMD',
      command: '/opt/app/run.sh --mode full',
      machine: 'apphost09',
      owner: 'app@prod',
      n_retrys: 4,
      alarm_if_fail: true,
      condition: 's(UM_UPSTREAM)',
    });
    expect(um.dependsOn).toEqual([{ job: 'UM_UPSTREAM', status: 'success' }]);
    expect(um.line).toBe(2);
    expect(um.updates).toEqual([10]);
    expect(um.partial).toBe(false);

    const partial = job(r, 'UM_ONLY_UPDATED');
    expect(partial).toMatchObject({ partial: true, type: 'CMD', line: 20, updates: [20] });
    expect(partial.attributes).toEqual({ command: '/opt/app/patched.sh', term_run_time: 20 });
    expect(r.warnings).toContainEqual({ line: 20, message: expect.stringContaining('UM_ONLY_UPDATED is not inserted') });

    const dup = job(r, 'UM_DUP');
    expect(dup).toMatchObject({ type: 'FW', line: 28 });
    expect(dup.attributes).toEqual({ job_type: 'FW', watch_file: '/data/in/second.csv', watch_interval: 30 });
    expect(r.warnings).toContainEqual({ line: 28, message: expect.stringContaining('first at line 24') });
    expect(r.jobs.filter((j) => j.name === 'UM_DUP')).toHaveLength(1);
  });

  it('override_job is kept apart; delete_job and delete_box remove what they should', () => {
    const r = parseFixture('override-delete.jil');
    expect(r.overrides).toEqual([
      {
        job: 'OD_KEEP',
        attributes: { command: '/bin/keep --once', condition: 's(OD_GONE)' },
        condition: { raw: 's(OD_GONE)', ast: { kind: 'status', status: 'success', job: 'OD_GONE' } },
        nextRunOnly: true,
        line: 11,
      },
    ]);
    expect(job(r, 'OD_KEEP').attributes.command).toBe('/bin/keep');
    expect(r.deleted).toEqual([
      { name: 'OD_GONE', subcommand: 'delete_job', removed: ['OD_GONE'], existed: true, line: 15 },
      { name: 'OD_OUTER', subcommand: 'delete_box', removed: ['OD_OUTER', 'OD_INNER', 'OD_LEAF2', 'OD_LEAF1'], existed: true, line: 16 },
      { name: 'OD_BOX2', subcommand: 'delete_job', removed: ['OD_BOX2'], existed: true, line: 17 },
      { name: 'OD_NEVER_DEFINED', subcommand: 'delete_job', removed: [], existed: false, line: 18 },
    ]);
    expect(r.jobs.map((j) => j.name)).toEqual(['OD_KEEP', 'OD_CHILD2']);
    expect(job(r, 'OD_CHILD2').box).toBeNull();
    expect(r.warnings.map((w) => w.line)).toEqual([17, 18]);
  });

  it('comments, escapes, quoted values, repeated and unknown attributes', () => {
    const r = parseFixture('comments-escapes.jil');
    expect(r.jobs.map((j) => j.name)).toEqual(['CE_JOB']);
    const j = job(r, 'CE_JOB');
    expect(j.line).toBe(6);
    expect(j.attributes).toEqual({
      job_type: 'CMD',
      command: 'rm -f /data/in/*.csv && ls /tmp/* # not a comment',
      machine: 'apphost01',
      watch_file: 'C:\\data\\in\\feed.csv',
      std_out_file: 'C:\\logs\\ce.out',
      description: 'He said "run it" twice',
      notification_msg: 'a "quoted" word: here',
      envvars: ['ENV=prod', 'REGION=eu-west-1', 'PATH=/opt/bin:/usr/bin'],
      notification_emailaddress: ['ops@example.com', 'oncall@example.com'],
      run_window: ['22:00', '06:00'],
      start_mins: [0, 15, 30, 45],
      permission: '',
      custom_site_field: 'Keep Me Verbatim',
      x_team_tag: 'quoted unknown',
      max_run_alarm: 'soon',
      profile: '/etc/profile.d/app.sh',
    });
    expect(r.warnings).toEqual([{ line: 23, message: expect.stringContaining('max_run_alarm: expected a number') }]);
  });

  it('bad conditions become errors naming job and line; parsing goes on', () => {
    const r = parseFixture('conditions.jil');
    expect(r.jobs).toHaveLength(18);
    expect(r.errors).toEqual([
      { line: 32, kind: 'condition', job: 'C_BAD', message: expect.stringContaining('C_BAD'), position: 18 },
      { line: 34, kind: 'condition', job: 'C_BAD2', message: expect.stringContaining("found 'q'"), position: 0 },
    ]);
    expect(job(r, 'C_BAD').condition).toBeNull();
    expect(job(r, 'C_BAD').attributes.condition).toBe('s(C_A) & (s(C_B) |');
    expect(job(r, 'C_LOOKBACK').dependsOn).toEqual([
      { job: 'C_A', status: 'success', lookbackMinutes: 150 },
      { job: 'C_B', status: 'success', lookbackMinutes: 0 },
      { job: 'C_C', status: 'done', lookbackMinutes: 60 },
    ]);
    expect(job(r, 'C_EXITCODE').dependsOn).toEqual([
      { job: 'C_A', status: 'exitcode', op: '=', value: 0 },
      { job: 'C_B', status: 'exitcode', op: '>=', value: 4 },
      { job: 'C_C', status: 'exitcode', op: '!=', value: 3 },
    ]);
    expect(job(r, 'C_VALUE').variables).toEqual([
      { name: 'LOAD_MODE', op: '=', value: 'full' },
      { name: 'RUN_COUNT', op: '>', value: '2' },
    ]);
    expect(job(r, 'C_XINST').dependsOn[0]).toEqual({ job: 'REMOTE_JOB', status: 'success', instance: 'PRD' });
    expect(job(r, 'C_PRECEDENCE').condition?.ast.kind).toBe('or');
  });

  it('objects are their own entries; unknown subcommands warn and skip their attributes', () => {
    const r = parseFixture('objects.jil');
    expect(r.objects.map((o) => [o.subcommand, o.kind, o.name, o.line])).toEqual([
      ['insert_machine', 'machine', 'etl-host-01', 2],
      ['insert_xinst', 'xinst', 'PRD', 8],
      ['insert_resource', 'resource', 'DB_CONNECTIONS', 13],
      ['update_machine', 'machine', 'etl-host-01', 18],
      ['insert_glob', 'glob', 'GLOBAL_MODE', 21],
      ['delete_machine', 'machine', 'old-host-99', 24],
    ]);
    expect(r.objects[0]?.attributes).toEqual({ type: 'a', node_name: 'etl-host-01.example.com', max_load: 100, factor: 1.5 });
    expect(r.objects[3]?.attributes).toEqual({ max_load: 200 });
    expect(r.objects[5]?.attributes).toEqual({});
    expect(r.warnings).toEqual([
      { line: 26, message: expect.stringContaining('"frobnicate_job"') },
      { line: 29, message: expect.stringContaining('"override_machine"') },
    ]);
    expect(r.jobs.map((j) => j.name)).toEqual(['OBJ_JOB']);
    expect(job(r, 'OBJ_JOB').attributes.resources).toEqual(['(DB_CONNECTIONS,QUANTITY=2,FREE=A)']);
  });

  it('a messy indented export: short job types, odd case, escaped time, junk line', () => {
    const r = parseFixture('messy-indented.jil');
    expect(r.jobs.map((j) => [j.name, j.type, j.box])).toEqual([
      ['MESSY_FEED_WAIT', 'FW', 'MESSY_BOX'],
      ['MESSY_BOX', 'BOX', null],
      ['MESSY_LOAD', 'CMD', 'MESSY_BOX'],
      ['MESSY_REPORT', 'CMD', 'MESSY_BOX'],
    ]);
    expect(job(r, 'MESSY_BOX').attributes).toMatchObject({ owner: 'batch@prod', date_conditions: true, start_times: ['23:30'], alarm_if_fail: true });
    expect(job(r, 'MESSY_FEED_WAIT').attributes).toMatchObject({ watch_file: '/landing/feed_*.dat', watch_interval: 120, watch_file_min_size: 1024 });
    expect(job(r, 'MESSY_LOAD').attributes).toMatchObject({ term_run_time: 90, max_run_alarm: 60, min_run_alarm: 1, std_out_file: '>>/var/log/etl/load.log' });
    expect(r.warnings).toEqual([{ line: 32, message: expect.stringContaining('junk from a copy-paste') }]);
  });
});

describe('parseJil edge cases', () => {
  it('defaults to CMD and normalises job types', () => {
    const r = parseJil('insert_job: A\ninsert_job: B job_type: b\ninsert_job: C job_type: f\ninsert_job: D job_type: informatica');
    expect(r.jobs.map((j) => j.type)).toEqual(['CMD', 'BOX', 'FW', 'INFORMATICA']);
    expect([normalizeJobType('c'), normalizeJobType('Ft'), normalizeJobType('oms'), normalizeJobType('sql'), normalizeJobType('')]).toEqual([
      'CMD',
      'FT',
      'OMS',
      'SQL',
      'CMD',
    ]);
  });

  it('keeps a repeated non-repeatable attribute as a list and warns; the last condition wins', () => {
    const r = parseJil('insert_job: A\ncommand: a\nstd_out_file: /a\nstd_out_file: /b\ncondition: s(X)\ncondition: s(Y)\nmy_attr: 1\nmy_attr: 2');
    const a = job(r, 'A');
    expect(a.attributes.std_out_file).toEqual(['/a', '/b']);
    expect(a.attributes.my_attr).toEqual(['1', '2']);
    expect(a.dependsOn).toEqual([{ job: 'Y', status: 'success' }]);
    expect(r.warnings.map((w) => w.line)).toEqual([4, 6, 6]);
  });

  it('treats hostile attribute names as plain data', () => {
    const r = parseJil('insert_job: A\n__proto__: x\nconstructor: y\ntoString: z');
    const a = job(r, 'A');
    expect(Object.getPrototypeOf(a.attributes)).toBe(Object.prototype);
    expect(Object.keys(a.attributes)).toEqual(['__proto__', 'constructor', 'tostring']);
    expect(a.attributes.constructor).toBe('y');
  });

  it('warns about attributes before the first subcommand, empty names and box_name problems', () => {
    const r = parseJil('owner: x\ninsert_job:\ninsert_job: A box_name: NOPE\ninsert_job: B box_name: A\ninsert_job: C job_type: BOX box_name: D\ninsert_job: D job_type: BOX box_name: C');
    expect(r.errors).toEqual([{ line: 2, kind: 'statement', message: expect.stringContaining('without a name') }]);
    const lines = r.warnings.map((w) => w.line);
    expect(lines).toContain(1);
    expect(r.warnings.find((w) => w.message.includes('NOPE'))?.line).toBe(3);
    expect(r.warnings.find((w) => w.message.includes('not a BOX'))?.line).toBe(4);
    expect(r.warnings.some((w) => w.message.includes('box_name cycle'))).toBe(true);
    expect([job(r, 'C').box, job(r, 'D').box].filter((b) => b === null)).toHaveLength(1);
  });

  it('caps the warning list', () => {
    const text = Array.from({ length: 50 }, (_, k) => `junk line ${k}`).join('\n');
    const r = parseJil(text, { maxWarnings: 10 });
    expect(r.warnings).toHaveLength(11);
    expect(r.warnings[10]?.message).toContain('40 more');
    expect(r.stats.warnings).toBe(50);
  });

  it('delete_box removes nested boxes recursively, delete_job of a missing job warns', () => {
    const r = parseJil(
      'insert_job: T job_type: BOX\ninsert_job: M job_type: BOX box_name: T\ninsert_job: L job_type: CMD box_name: M\ninsert_job: S\ndelete_box: T\ndelete_box: S',
    );
    expect(r.jobs).toEqual([]);
    expect(r.deleted[0]?.removed).toEqual(['T', 'M', 'L']);
    expect(r.warnings).toEqual([{ line: 6, message: expect.stringContaining('not a box') }]);
  });
});

describe('mistakes a JIL author makes', () => {
  it('a misspelt attribute, a time or day AutoSys does not take, a command job without a command: each warned at its line', () => {
    const r = parseJil(
      ['insert_job: A job_type: c', 'comand: /bin/a.sh', 'date_conditions: 1', 'start_times: "25:99, 06:00"', 'days_of_week: mo,xx', 'must_start_times: +30', 'sap_job_name: Z'].join('\n'),
    );
    expect(r.warnings).toEqual([
      { line: 2, message: 'A: comand is not an attribute AutoSys knows; did you mean command? (kept as written)' },
      { line: 4, message: 'A: start_times: "25:99" is not a time of day (HH:MM, 00:00 to 23:59)' },
      { line: 5, message: 'A: days_of_week: "xx" is not a day (mo, tu, we, th, fr, sa, su or all)' },
      { line: 1, message: 'A: a command job without a command' },
    ]);
    // kept as written: an agent's own attribute (sap_job_name) is no typo and gets no warning
    expect(job(r, 'A').attributes.comand).toBe('/bin/a.sh');
  });
});
