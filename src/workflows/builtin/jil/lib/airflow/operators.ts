import type { JilAttributes, JilJob } from '../parse-schema.js';
import type { TaskNode } from './model.js';
import { pyStr, pyValue } from './python.js';

/**
 * Job → operator. CMD → BashOperator (SSHOperator with `ssh_conn_id=<machine>` when the machine is
 * remote); FW → FileSensor; any other type → EmptyOperator with a TODO. Common arguments: owner,
 * retries (n_retrys), execution_timeout (term_run_time minutes; a FileSensor gets `timeout` in seconds
 * instead), doc_md (description).
 *
 * Templated strings (bash_command, command, env values, filepath) are made safe for Jinja: text holding
 * `{{`, `{%` or `{#` is wrapped in `{% raw %}…{% endraw %}` (a `{%` in the text cannot end the block:
 * see jinjaSafe), and a command ending in `.sh`/`.bash`/… gets
 * a trailing space so Airflow does not try to load it as a template file.
 */

export const IMPORTS = {
  BashOperator: 'from airflow.operators.bash import BashOperator',
  EmptyOperator: 'from airflow.operators.empty import EmptyOperator',
  FileSensor: 'from airflow.sensors.filesystem import FileSensor',
  SSHOperator: 'from airflow.providers.ssh.operators.ssh import SSHOperator',
  ExternalTaskSensor: 'from airflow.sensors.external_task import ExternalTaskSensor',
  PythonSensor: 'from airflow.sensors.python import PythonSensor',
  ShortCircuitOperator: 'from airflow.operators.python import ShortCircuitOperator',
  TaskGroup: 'from airflow.utils.task_group import TaskGroup',
  Variable: 'from airflow.models import Variable',
  timedelta: 'from datetime import timedelta',
} as const;

export interface OperatorContext {
  sensorMode: 'reschedule' | 'poke';
  /** The DAG's default owner (tasks only set `owner` when theirs differs). */
  dagOwner: string;
  imports: Set<string>;
  todo(node: TaskNode, message: string): void;
  note(node: TaskNode, message: string): void;
}

const LOCAL_MACHINES = new Set(['', 'localhost', '127.0.0.1', '::1', 'localhost.localdomain']);
const TEMPLATE_EXTS = ['.sh', '.bash', '.csh', '.zsh', '.dash', '.ksh'];

/**
 * Makes a templated string render to itself (see the module comment). Inside the raw block every
 * `{%` is written as the expression `{{ '{%' }}` between a closing and a reopening of the block, so
 * no text (`{% endraw %}`, `{%- endraw -%}`, …) can end the block early and run as a template.
 */
export function jinjaSafe(text: string, scriptExtensionTrick: boolean): string {
  let out = /\{\{|\{%|\{#/.test(text) ? `{% raw %}${text.replaceAll('{%', "{% endraw %}{{ '{%' }}{% raw %}")}{% endraw %}` : text;
  if (scriptExtensionTrick && TEMPLATE_EXTS.some((ext) => out.endsWith(ext))) out += ' ';
  return out;
}

function lastString(v: JilAttributes[string] | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (Array.isArray(v)) {
    const last = v[v.length - 1];
    return last === undefined ? undefined : Array.isArray(last) ? last.join(',') : String(last);
  }
  return String(v);
}

function positiveNumber(v: JilAttributes[string] | undefined): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined;
}

function envVars(job: JilJob): Record<string, string> | undefined {
  const raw = job.attributes.envvars;
  if (raw === undefined) return undefined;
  const list = Array.isArray(raw) ? raw.flat() : [raw];
  const env: Record<string, string> = {};
  for (const item of list) {
    const s = String(item);
    const eq = s.indexOf('=');
    if (eq > 0) env[s.slice(0, eq).trim()] = jinjaSafe(s.slice(eq + 1), false);
  }
  return Object.keys(env).length > 0 ? env : undefined;
}

/** Sets operator, arguments and TODOs of a job task. */
export function defineJobTask(node: TaskNode, ctx: OperatorContext): void {
  const job = node.job;
  if (!job) return;
  const a = job.attributes;
  const args: [string, string][] = [['task_id', pyStr(node.taskId)]];
  const machine = lastString(a.machine)?.trim() ?? '';
  if (Array.isArray(a.machine) && a.machine.length > 1) ctx.todo(node, `several machine attributes; used the last (${machine})`);

  if (job.type === 'CMD') {
    const command = lastString(a.command);
    if (command === undefined || command.trim() === '') {
      node.operator = 'EmptyOperator';
      ctx.todo(node, 'CMD job without a command');
    } else {
      const remote = !LOCAL_MACHINES.has(machine.toLowerCase());
      const env = envVars(job);
      if (remote) {
        const machines = machine.split(',').map((m) => m.trim()).filter(Boolean);
        node.operator = 'SSHOperator';
        args.push(['ssh_conn_id', pyStr(machines[0] ?? machine)], ['command', pyStr(jinjaSafe(command, true))]);
        if (machines.length > 1) ctx.todo(node, `machine lists several hosts (${machines.join(', ')}); AutoSys load-balanced between them, this uses the first`);
        if (env) {
          args.push(['environment', pyValue(env)]);
          ctx.note(node, 'envvars passed as SSH environment: the SSH server must accept them (AcceptEnv)');
        }
      } else {
        node.operator = 'BashOperator';
        args.push(['bash_command', pyStr(jinjaSafe(command, true))]);
        if (env) args.push(['env', pyValue(env)], ['append_env', 'True']);
      }
      if (/^"?[A-Za-z]:\\|\.(bat|cmd)\b/i.test(command)) ctx.todo(node, 'this looks like a Windows command; run it on a Windows host (e.g. a WinRM or SSH connection)');
      const profile = lastString(a.profile);
      if (profile) ctx.todo(node, `AutoSys sourced the profile ${profile} before the command; source it in the command or set env`);
    }
  } else if (job.type === 'FW') {
    const file = lastString(a.watch_file);
    node.operator = 'FileSensor';
    if (file === undefined || file.trim() === '') ctx.todo(node, 'FW job without watch_file');
    args.push(['filepath', pyStr(jinjaSafe(file ?? '', false))]);
    args.push(['poke_interval', String(positiveNumber(a.watch_interval) ?? 60)], ['mode', pyStr(ctx.sensorMode)]);
    if (a.watch_file_min_size !== undefined) ctx.todo(node, `watch_file_min_size ${String(a.watch_file_min_size)} is not checked by FileSensor`);
    if (!LOCAL_MACHINES.has(machine.toLowerCase())) {
      ctx.todo(node, `AutoSys watched the file on ${machine}; FileSensor looks through fs_conn_id on the worker (use an SFTPSensor for a remote host)`);
    }
  } else {
    node.operator = 'EmptyOperator';
    ctx.todo(node, `job type ${job.type} has no direct Airflow translation; replace this EmptyOperator`);
  }

  if (a.auto_hold === true) ctx.todo(node, 'auto_hold: AutoSys puts this job ON_HOLD at every box start until someone releases it');
  const owner = lastString(a.owner);
  if (owner && owner !== ctx.dagOwner) args.push(['owner', pyStr(owner)]);
  const retries = positiveNumber(a.n_retrys);
  if (retries !== undefined) args.push(['retries', String(Math.floor(retries))]);
  const timeout = positiveNumber(a.term_run_time);
  if (timeout !== undefined && node.operator === 'FileSensor') {
    // A sensor's total wait is `timeout` (seconds); execution_timeout would only bound one poke.
    args.push(['timeout', String(Math.round(timeout * 60))]);
  } else if (timeout !== undefined) {
    args.push(['execution_timeout', `timedelta(minutes=${timeout})`]);
    ctx.imports.add(IMPORTS.timedelta);
  }
  const description = lastString(a.description);
  if (description) args.push(['doc_md', pyStr(description)]);
  node.args = args;
  ctx.imports.add(IMPORTS[node.operator as keyof typeof IMPORTS]);
}
