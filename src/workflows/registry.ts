import { z } from 'zod';
import { ConflictError } from '../errors/conflict-error.js';
import { NotFoundError } from '../errors/not-found-error.js';
import { ValidationError } from '../errors/validation-error.js';
import type { ToolSpec } from '../llm/llm.js';
import type { StepSpec } from '../planning/run-spec.js';
import { WORKFLOW_NAME, type Workflow } from './define-workflow.js';

/** A named composition of workflows (a sequence, parallel branches, a DAG) the router can pick like a workflow. */
export interface ChainDefinition {
  name: string;
  description: string;
  examples: string[];
  /** Parameters the chain takes; they are handed to every step that declares a field of that name. */
  input: z.ZodObject;
  spec: StepSpec;
}

/** One capability as listed for the LLM, the API and the docs. */
export interface Capability extends ToolSpec {
  kind: 'workflow' | 'chain';
  nodes: string[];
}

/** Every workflow and chain this process knows, by name. */
export class WorkflowRegistry {
  private readonly workflows = new Map<string, Workflow>();
  private readonly chains = new Map<string, ChainDefinition>();
  /** capabilities() and toolSpecs(), built once per set of registrations (every message reads them). */
  private cached: { capabilities: Capability[]; toolSpecs: ToolSpec[] } | undefined;

  /** Adds a workflow; a second one with the same name is a ConflictError. */
  register(workflow: Workflow): this {
    if (this.workflows.has(workflow.name) || this.chains.has(workflow.name)) {
      throw new ConflictError(`a workflow or chain named "${workflow.name}" is already registered`);
    }
    this.workflows.set(workflow.name, workflow);
    this.cached = undefined;
    return this;
  }

  /** Adds a named chain; every workflow it names must already be registered. */
  registerChain(chain: ChainDefinition): this {
    if (!WORKFLOW_NAME.test(chain.name)) throw new ValidationError(`chain name "${chain.name}" must look like area.action`);
    if (this.workflows.has(chain.name) || this.chains.has(chain.name)) {
      throw new ConflictError(`a workflow or chain named "${chain.name}" is already registered`);
    }
    for (const w of workflowsIn(chain.spec)) this.get(w);
    this.chains.set(chain.name, chain);
    this.cached = undefined;
    return this;
  }

  /** The workflow named `name`, or NotFoundError listing what exists. */
  get(name: string): Workflow {
    const w = this.workflows.get(name);
    if (!w) throw new NotFoundError(`unknown workflow "${name}"`, { details: { known: [...this.workflows.keys()] } });
    return w;
  }

  has(name: string): boolean {
    return this.workflows.has(name);
  }

  /** The workflow that gives the overview of a file of this kind family (`overviewOf`), first registered first. */
  overviewFor(family: string): Workflow | undefined {
    for (const w of this.workflows.values()) if (w.overviewOf.includes(family)) return w;
    return undefined;
  }

  /** The workflows whose `questions` recognise this question, first registered first. */
  answerers(question: string): Workflow[] {
    return [...this.workflows.values()].filter((w) => w.questions?.(question) === true);
  }

  getChain(name: string): ChainDefinition | undefined {
    return this.chains.get(name);
  }

  list(): Workflow[] {
    return [...this.workflows.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  listChains(): ChainDefinition[] {
    return [...this.chains.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Workflows and chains with their parameters as JSON Schema (with `description`, `x-ask`, `x-artifact`). */
  capabilities(): Capability[] {
    return [...this.built().capabilities];
  }

  /**
   * Tool definitions for the LLM router: one per workflow and chain. The same array until the next
   * registration (routers may cache what they derive from it by identity); do not mutate it.
   */
  toolSpecs(): ToolSpec[] {
    return this.built().toolSpecs;
  }

  private built(): { capabilities: Capability[]; toolSpecs: ToolSpec[] } {
    if (this.cached) return this.cached;
    const capabilities = this.buildCapabilities();
    const toolSpecs = capabilities.map(({ kind, name, description, examples, inputSchema }) => ({ name, description, examples, inputSchema, kind }));
    return (this.cached = { capabilities, toolSpecs });
  }

  private buildCapabilities(): Capability[] {
    const wf = this.list().map<Capability>((w) => ({
      kind: 'workflow',
      name: w.name,
      description: w.description,
      examples: [...w.examples],
      inputSchema: inputJsonSchema(w.input),
      nodes: [...w.order],
    }));
    const ch = this.listChains().map<Capability>((c) => ({
      kind: 'chain',
      name: c.name,
      description: c.description,
      examples: [...c.examples],
      inputSchema: inputJsonSchema(c.input),
      nodes: workflowsIn(c.spec),
    }));
    return [...wf, ...ch];
  }

  /** The capabilities as plain text for a prompt. */
  capabilitiesText(): string {
    return this.capabilities()
      .map((c) => {
        const props = (c.inputSchema.properties ?? {}) as Record<string, { description?: string }>;
        const params = Object.entries(props)
          .map(([k, v]) => `    - ${k}: ${v.description ?? ''}`)
          .join('\n');
        return `- ${c.name} (${c.kind}): ${c.description}\n  examples: ${c.examples.join(' | ')}\n  parameters:\n${params}`;
      })
      .join('\n');
  }
}

/** JSON Schema of a workflow's input, for tools and docs. */
export function inputJsonSchema(schema: z.ZodObject): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

/** Names of every workflow a spec runs, in order of appearance. */
export function workflowsIn(spec: StepSpec): string[] {
  if ('workflow' in spec) return [spec.workflow];
  if ('sequence' in spec) return spec.sequence.flatMap(workflowsIn);
  if ('parallel' in spec) return spec.parallel.flatMap(workflowsIn);
  if ('condition' in spec) return [...workflowsIn(spec.then), ...(spec.else ? workflowsIn(spec.else) : [])];
  return spec.dag.map((n) => n.workflow);
}
