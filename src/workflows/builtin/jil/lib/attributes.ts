/**
 * The JIL attribute registry: which names are known (they may start a new `name: value` pair in the
 * middle of a line), how each known value is typed, and which attributes may repeat.
 *
 * Unknown attributes are never dropped: they keep their decoded string value.
 */

/** How a known attribute's value is typed. */
export type JilAttributeKind =
  | 'string'
  /** An integer or decimal number (`n_retrys: 3`). */
  | 'number'
  /** `1`/`0`, `y`/`n`, `yes`/`no`, `true`/`false`, `t`/`f` (any case). */
  | 'boolean'
  /** Comma-separated strings (`days_of_week: mo,tu`, `start_times: "10:00, 14:00"`). */
  | 'list'
  /** Comma-separated numbers (`start_mins: 0, 30`). */
  | 'numberList'
  /** `"22:00-06:00"` → `["22:00", "06:00"]`. */
  | 'window';

const NUMBER_ATTRS = [
  'n_retrys',
  'term_run_time',
  'max_run_alarm',
  'min_run_alarm',
  'priority',
  'job_load',
  'watch_interval',
  'watch_file_min_size',
  'watch_no_change',
  'heartbeat_interval',
  'auto_delete',
  'max_exit_success',
  'max_exit_status',
  'avg_runtime',
  // machine / resource / external instance objects
  'max_load',
  'factor',
  'amount',
  'port',
  'xport',
  'heartbeat_attempts',
  'heartbeat_freq',
  'ftp_server_port',
  'scp_server_port',
] as const;

const BOOLEAN_ATTRS = [
  'date_conditions',
  'alarm_if_fail',
  'alarm_if_terminated',
  'auto_hold',
  'box_terminator',
  'job_terminator',
  'interactive',
  'service_desk',
  'elevated',
  'watch_file_recursive',
  'ftp_use_ssl',
] as const;

const LIST_ATTRS = ['days_of_week', 'start_times', 'must_start_times', 'must_complete_times'] as const;

/** Attributes that may legitimately appear several times in one statement; always typed as a list. */
const REPEATABLE_ATTRS = [
  'envvars',
  'notification_emailaddress',
  'notification_emailaddress_on_alarm',
  'notification_emailaddress_on_failure',
  'notification_emailaddress_on_success',
  'notification_emailaddress_on_terminated',
  'resources',
  'sp_arg',
  'blob_input',
  'ulimit',
] as const;

/** Other known job attributes, typed as strings. */
const STRING_JOB_ATTRS = [
  'job_type',
  'box_name',
  'command',
  'machine',
  'owner',
  'permission',
  'condition',
  'description',
  'std_out_file',
  'std_err_file',
  'std_in_file',
  'group',
  'application',
  'send_notification',
  'notification',
  'notification_msg',
  'notification_id',
  'notification_template',
  'notification_alarm_types',
  'success_codes',
  'fail_codes',
  'box_success',
  'box_failure',
  'chk_files',
  'run_calendar',
  'exclude_calendar',
  'profile',
  'timezone',
  'job_class',
  'status',
  'effective_date',
  'watch_file',
  'watch_file_type',
  'watch_file_change_type',
  'watch_file_change_value',
  'watch_file_groupname',
  'watch_file_owner',
  'watch_file_win_user',
  'continuous',
  'svcdesk_attr',
  'svcdesk_desc',
  'svcdesk_imp',
  'svcdesk_pri',
  'svcdesk_sev',
  'blob_file',
  'tag',
  // FTP / SCP / SQL / DB job types
  'ftp_command',
  'ftp_compression',
  'ftp_format',
  'ftp_local_name',
  'ftp_local_user',
  'ftp_remote_name',
  'ftp_server_name',
  'ftp_transfer_direction',
  'ftp_transfer_type',
  'scp_local_name',
  'scp_local_user',
  'scp_protocol',
  'scp_remote_dir',
  'scp_remote_name',
  'scp_server_name',
  'scp_target_os',
  'scp_transfer_direction',
  'sql_command',
  'connect_string',
  'destination_file',
  'result_type',
  'user_role',
  'sp_name',
  'monitor_cond',
  'tablename',
  'trigger_type',
  'trigger_cond',
  'provider_url',
  'method_name',
  'invocation_type',
] as const;

/** Known attributes of non-job objects (machines, resources, external instances…), typed as strings. */
const STRING_OBJECT_ATTRS = [
  'node_name',
  'type',
  'opsys',
  'agent_name',
  'character_code',
  'encryption_type',
  'key_to_agent',
  'res_type',
  'xtype',
  'xmachine',
  'xcrypt_type',
  'xkey_to_manager',
  'xmanager',
  'description',
  'machine',
  'owner',
  'permission',
  'timezone',
] as const;

/** The job subcommands this toolkit applies to jobs. */
export const JOB_SUBCOMMANDS = new Set(['insert_job', 'update_job', 'override_job', 'delete_job', 'delete_box']);

const KIND = new Map<string, JilAttributeKind>();
for (const a of STRING_JOB_ATTRS) KIND.set(a, 'string');
for (const a of STRING_OBJECT_ATTRS) KIND.set(a, 'string');
for (const a of NUMBER_ATTRS) KIND.set(a, 'number');
for (const a of BOOLEAN_ATTRS) KIND.set(a, 'boolean');
for (const a of LIST_ATTRS) KIND.set(a, 'list');
for (const a of REPEATABLE_ATTRS) KIND.set(a, 'string');
KIND.set('start_mins', 'numberList');
KIND.set('run_window', 'window');

const REPEATABLE = new Set<string>(REPEATABLE_ATTRS);

/** Names that start a new pair in the middle of a line inside a job statement. */
export const JOB_SPLIT_KEYS: ReadonlySet<string> = new Set<string>([
  ...STRING_JOB_ATTRS,
  ...NUMBER_ATTRS.filter((a) => !['max_load', 'factor', 'amount', 'port', 'xport', 'heartbeat_attempts', 'heartbeat_freq'].includes(a)),
  ...BOOLEAN_ATTRS,
  ...LIST_ATTRS,
  ...REPEATABLE_ATTRS,
  'start_mins',
  'run_window',
  ...JOB_SUBCOMMANDS,
]);

/** Names that start a new pair in the middle of a line inside a non-job object statement. */
export const OBJECT_SPLIT_KEYS: ReadonlySet<string> = new Set<string>([
  ...STRING_OBJECT_ATTRS,
  ...NUMBER_ATTRS,
  ...JOB_SUBCOMMANDS,
]);

/** The typing of a known attribute, or undefined when the name is unknown. */
export function attributeKind(name: string): JilAttributeKind | undefined {
  return KIND.get(name);
}

/** True when the attribute may appear several times in one statement (then always a list). */
export function isRepeatable(name: string): boolean {
  return REPEATABLE.has(name);
}

/** True for every attribute name this registry knows. */
export function isKnownAttribute(name: string): boolean {
  return KIND.has(name);
}

/** Every attribute name this registry knows. */
export function knownAttributeNames(): IterableIterator<string> {
  return KIND.keys();
}

const VERB_RE = /^(insert|update|delete)_([a-z][a-z0-9_]*)$/;
/** Keys that name an object like a subcommand does (`frobnicate_job`, `copy_box`) but are no attribute. */
const OBJECT_SUFFIX_RE = /^[a-z][a-z0-9]*_(job|box|machine|resource|xinst|glob|blob|calendar)$/;
const UNKNOWN_VERB_RE = /^(override|create|modify|alter|remove|add|drop|replace|copy|rename|move)_[a-z0-9_]+$/;

/** How a key at the start of a statement is understood. */
export type SubcommandInfo =
  | { type: 'job'; subcommand: string }
  | { type: 'object'; subcommand: string; kind: string }
  | { type: 'unknown'; subcommand: string };

/**
 * Classifies a (lower-case) key as a subcommand, or returns undefined for an attribute.
 * `insert_*`/`update_*`/`delete_*` on anything but a job are object subcommands; other verb-like
 * keys (`override_machine`, `create_job`, …) and unknown keys shaped like `<word>_job` / `<word>_box` /
 * `<word>_machine` (`frobnicate_job`) are unknown subcommands.
 */
export function classifySubcommand(key: string): SubcommandInfo | undefined {
  const cached = CLASSIFIED.get(key);
  if (cached !== undefined) return cached ?? undefined;
  const info = classify(key);
  if (CLASSIFIED.size < 4096) CLASSIFIED.set(key, info ?? null);
  return info;
}

const CLASSIFIED = new Map<string, SubcommandInfo | null>();

function classify(key: string): SubcommandInfo | undefined {
  if (JOB_SUBCOMMANDS.has(key)) return { type: 'job', subcommand: key };
  const m = VERB_RE.exec(key);
  if (m) return { type: 'object', subcommand: key, kind: m[2] ?? '' };
  if (UNKNOWN_VERB_RE.test(key)) return { type: 'unknown', subcommand: key };
  if (OBJECT_SUFFIX_RE.test(key) && !KIND.has(key)) return { type: 'unknown', subcommand: key };
  return undefined;
}
