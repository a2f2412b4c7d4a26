import { AppError } from '../../errors/app-error.js';
import { compilePlan } from '../../planning/plan.js';
import { WORKFLOW_NAME, type Workflow } from '../../workflows/define-workflow.js';
import { inputJsonSchema, type ChainDefinition, type WorkflowRegistry } from '../../workflows/registry.js';
import { sampleParams } from './sample-params.js';
import { schemaFields, type JsonSchema } from './schema-type.js';

/** What `validate` found. The registry is valid when `problems` is empty; warnings do not fail it. */
export interface RegistryReport {
  workflows: number;
  chains: number;
  /** `<name>: <what is wrong>`, in name order. */
  problems: string[];
  /** Checks that could not be made (e.g. no sample parameters the schema accepts). */
  warnings: string[];
}

/**
 * Checks every workflow and chain: a valid `area.action` name, a description, non-empty examples,
 * an acyclic node graph in a consistent topological order, a description on every parameter and an
 * `x-ask` on every required one, and that `compilePlan` compiles it with minimal sample parameters.
 */
export function validateRegistry(registry: WorkflowRegistry): RegistryReport {
  const problems: string[] = [];
  const warnings: string[] = [];
  const workflows = registry.list();
  const chains = registry.listChains();
  for (const wf of workflows) {
    const p = (msg: string) => problems.push(`${wf.name}: ${msg}`);
    checkCommon(wf.name, wf.description, wf.examples, p);
    checkGraph(wf, p);
    const schema = schemaOf(wf.input, p);
    if (schema) {
      checkFields(schema, p);
      checkCompiles(registry, wf.name, schema, p, (msg) => warnings.push(`${wf.name}: ${msg}`));
    }
  }
  for (const chain of chains) {
    const p = (msg: string) => problems.push(`${chain.name}: ${msg}`);
    checkCommon(chain.name, chain.description, chain.examples, p);
    const schema = schemaOf(chain.input, p);
    if (schema) {
      checkFields(schema, p);
      checkCompiles(registry, chain.name, schema, p, (msg) => warnings.push(`${chain.name}: ${msg}`));
    }
  }
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return { workflows: workflows.length, chains: chains.length, problems: problems.sort(byName), warnings: warnings.sort(byName) };
}

function checkCommon(name: string, description: string, examples: readonly string[], p: (m: string) => void): void {
  if (!WORKFLOW_NAME.test(name)) p('the name must look like area.action (lowercase letters, digits, _)');
  if (description.trim() === '') p('the description is empty');
  if (examples.length === 0) p('no examples (the router needs at least one request a user might type)');
  examples.forEach((e, i) => {
    if (e.trim() === '') p(`example ${i + 1} is empty`);
  });
}

function checkGraph(wf: Workflow, p: (m: string) => void): void {
  const names = Object.keys(wf.nodes);
  if (names.length === 0) p('no nodes');
  const position = new Map(wf.order.map((n, i) => [n, i]));
  if (position.size !== names.length || names.some((n) => !position.has(n))) {
    p('its node order does not list every node exactly once');
    return;
  }
  for (const n of names) {
    for (const dep of wf.nodes[n]!.after ?? []) {
      const at = position.get(dep);
      if (at === undefined) p(`node "${n}" runs after unknown node "${dep}"`);
      else if (at >= position.get(n)!) p(`node "${n}" runs after "${dep}", which does not come first (a cycle?)`);
    }
  }
}

function schemaOf(input: Workflow['input'] | ChainDefinition['input'], p: (m: string) => void): JsonSchema | undefined {
  try {
    return inputJsonSchema(input) as JsonSchema;
  } catch (e) {
    p(`its input has no JSON Schema: ${(e as Error).message}`);
    return undefined;
  }
}

function checkFields(schema: JsonSchema, p: (m: string) => void): void {
  for (const f of schemaFields(schema)) {
    const description = f.schema.description;
    if (typeof description !== 'string' || description.trim() === '') p(`parameter "${f.name}" has no description`);
    const ask = f.schema['x-ask'];
    if (f.required && (typeof ask !== 'string' || ask.trim() === '')) {
      p(`required parameter "${f.name}" has no x-ask (give param(…, { ask: '…' }) the question to ask when it is missing)`);
    }
  }
}

function checkCompiles(
  registry: WorkflowRegistry,
  name: string,
  schema: JsonSchema,
  p: (m: string) => void,
  warn: (m: string) => void,
): void {
  const params = sampleParams(schema);
  try {
    const plan = compilePlan({ workflow: name, params }, registry);
    if (plan.steps.length === 0) p('compiles to a plan without steps');
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    // The sample values are a guess; a schema they do not satisfy is no fault of the workflow.
    if (e instanceof AppError && e.code === 'validation_error' && msg.startsWith('invalid parameters')) {
      warn(`not compiled: no sample parameters it accepts (${msg}; tried ${JSON.stringify(params)})`);
    } else p(`does not compile with compilePlan: ${msg}`);
  }
}
