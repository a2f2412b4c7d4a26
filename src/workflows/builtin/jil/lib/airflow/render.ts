import { orderedEdges, type DagModel, type Scope, type TaskNode } from './model.js';
import { IMPORTS } from './operators.js';
import { pyStr, pyValue } from './python.js';
import type { ScheduleResult } from './schedule.js';

/** Python written into DAG files that need it: the guard evaluator and the variable check. */
const GUARD_HELPERS = `_JIL_FINISHED = ("success", "failed", "upstream_failed", "skipped")


def _jil_states(dag_run, task_ids):
    """States of the given tasks in this DAG run (None when a task has no instance)."""
    states = []
    for task_id in task_ids:
        ti = dag_run.get_task_instance(task_id)
        states.append(ti.state if ti is not None else None)
    return states


def _jil_check(node, dag_run):
    """Evaluates a translated AutoSys condition: ("and"|"or", [..]), ("task"|"group", ids, status),
    ("variable", name, op, value) or ("unknown", text) for atoms left as TODO (always false)."""
    kind = node[0]
    if kind == "and":
        return all(_jil_check(child, dag_run) for child in node[1])
    if kind == "or":
        return any(_jil_check(child, dag_run) for child in node[1])
    if kind == "variable":
        return _jil_variable_matches(node[1], node[2], node[3])
    if kind in ("task", "group"):
        states = _jil_states(dag_run, node[1])
        status = node[2]
        if status == "success":
            return all(state == "success" for state in states)
        if status == "failure":
            if kind == "group":
                return any(state == "failed" for state in states)
            return all(state == "failed" for state in states)
        if status == "done":
            if kind == "group":
                return all(state in _JIL_FINISHED for state in states)
            return all(state in ("success", "failed") for state in states)
    return False


def _jil_guard(expr, **context):
    """ShortCircuitOperator callable: True lets the guarded task run, False skips it."""
    return _jil_check(expr, context["dag_run"])
`;

const VARIABLE_HELPER = `def _jil_variable_matches(name, op, value):
    """Compares the Airflow Variable \`name\` with \`value\` (numerically when both are numbers)."""
    current = Variable.get(name, default_var=None)
    if current is None:
        return False
    if op in ("=", "!="):
        return (str(current) == value) == (op == "=")
    try:
        left, right = float(current), float(value)
    except (TypeError, ValueError):
        left, right = str(current), value
    if op == "<":
        return left < right
    if op == "<=":
        return left <= right
    if op == ">":
        return left > right
    return left >= right
`;

export interface RenderOptions {
  schedule: ScheduleResult;
  owner: string;
  startDate: string;
  tags: string[];
  docMd: string | null;
}

function renderTask(node: TaskNode, indent: string, out: string[]): void {
  for (const c of node.comments) out.push(`${indent}${c}`);
  out.push(`${indent}${node.varName} = ${node.operator}(`);
  const args = node.args.length > 0 ? node.args : [['task_id', pyStr(node.taskId)] as [string, string]];
  for (const [k, v] of args) out.push(`${indent}    ${k}=${v},`);
  if (node.triggerRule) out.push(`${indent}    trigger_rule=${pyStr(node.triggerRule)},`);
  out.push(`${indent})`);
}

/** Writes a scope's comments, start task, tasks, nested TaskGroups (as `with` blocks) and extras. */
function renderScope(scope: Scope, indent: string, out: string[]): void {
  for (const c of scope.comments) out.push(`${indent}${c}`);
  if (scope.start) renderTask(scope.start, indent, out);
  for (const item of scope.items) {
    if (item.kind === 'task') {
      renderTask(item, indent, out);
      continue;
    }
    const tooltip = typeof item.job?.attributes.description === 'string' ? `, tooltip=${pyStr(item.job.attributes.description)}` : '';
    out.push(`${indent}with TaskGroup(group_id=${pyStr(item.groupId ?? '')}${tooltip}) as ${item.varName}:`);
    renderScope(item, `${indent}    `, out);
  }
  for (const e of scope.extras) renderTask(e, indent, out);
  if (!scope.start && scope.items.length === 0 && scope.extras.length === 0) out.push(`${indent}pass`);
}

/** The Python source of one DAG file. */
export function renderDag(dag: DagModel, opts: RenderOptions): string {
  const imports = new Set(dag.imports);
  imports.add('import pendulum');
  imports.add('from airflow import DAG');
  if (dag.root.items.some((i) => i.kind !== 'task')) imports.add(IMPORTS.TaskGroup);
  const helpers = dag.helpers.has('variable') || dag.helpers.has('guard');
  if (helpers) imports.add(IMPORTS.Variable);
  const stdlib = [...imports].filter((l) => l.startsWith('from datetime')).sort();
  const third = [...imports].filter((l) => l.startsWith('import ')).sort();
  const airflow = [...imports].filter((l) => l.startsWith('from airflow')).sort();

  const out: string[] = [];
  out.push(pyStr(`Airflow DAG ${dag.dagId}, generated from AutoSys JIL: ${dag.origin}. Review every TODO(jil) comment before enabling it.`));
  out.push('from __future__ import annotations');
  out.push('');
  if (stdlib.length > 0) out.push(...stdlib, '');
  out.push(...third, ...airflow, '');
  if (dag.helpers.has('guard')) out.push('', GUARD_HELPERS.trimEnd(), '');
  if (helpers) out.push('', VARIABLE_HELPER.trimEnd(), '');
  out.push('');
  const [y, m, d] = opts.startDate.split('-').map(Number);
  out.push('with DAG(');
  out.push(`    dag_id=${pyStr(dag.dagId)},`);
  out.push(`    schedule=${opts.schedule.cron === null ? 'None' : pyStr(opts.schedule.cron)},`);
  out.push(`    start_date=pendulum.datetime(${y}, ${m}, ${d}, tz=${pyStr(opts.schedule.timezone ?? 'UTC')}),`);
  out.push('    catchup=False,');
  out.push(`    default_args=${pyValue({ owner: opts.owner })},`);
  if (opts.docMd) out.push(`    doc_md=${pyStr(opts.docMd)},`);
  out.push(`    tags=${pyValue(opts.tags)},`);
  out.push(') as dag:');
  renderScope(dag.root, '    ', out);
  if (dag.edges.length > 0) {
    out.push('');
    out.push('    # Dependencies (from the JIL conditions and box starts), innermost TaskGroups first');
    for (const e of orderedEdges(dag)) out.push(`    ${e}`);
  }
  return `${out.join('\n')}\n`;
}
