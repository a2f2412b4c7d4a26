/**
 * Job type normalisation: short and long forms → the upper-case long form. Types this table does not
 * know are kept as given, upper-cased (`informatica` → `INFORMATICA`). A job without `job_type` is CMD.
 */
const ALIASES: Record<string, string> = {
  c: 'CMD',
  cmd: 'CMD',
  command: 'CMD',
  b: 'BOX',
  box: 'BOX',
  f: 'FW',
  fw: 'FW',
  file_watcher: 'FW',
  filewatcher: 'FW',
  ft: 'FT',
  file_trigger: 'FT',
  oms: 'OMS',
  sql: 'SQL',
  ftp: 'FTP',
  scp: 'SCP',
  dbmon: 'DBMON',
  dbtrig: 'DBTRIG',
  dbproc: 'DBPROC',
  http: 'HTTP',
  i5: 'I5',
  zos: 'ZOS',
};

/** The default job type when `job_type` is absent. */
export const DEFAULT_JOB_TYPE = 'CMD';

/** `c` → `CMD`, `box` → `BOX`, `f` → `FW`, unknown → upper-cased as given, empty → CMD. */
export function normalizeJobType(raw: string | undefined): string {
  if (raw === undefined) return DEFAULT_JOB_TYPE;
  const t = raw.trim();
  if (t === '') return DEFAULT_JOB_TYPE;
  return ALIASES[t.toLowerCase()] ?? t.toUpperCase();
}
