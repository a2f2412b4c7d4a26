import { ValidationError } from '../../errors/validation-error.js';
import { commentText, oneLine, tsString } from './literals.js';
import type { WorkflowNaming } from './names.js';
import { loadTemplate, renderTemplate } from './render-template.js';

/** Longest accepted `--description`. */
export const MAX_DESCRIPTION_LENGTH = 500;

/** One file `new` writes: a repo-relative path (with `/`) and its full text. */
export interface PlannedFile {
  path: string;
  content: string;
}

/** The description a workflow gets when `--description` is not given (it says what the template does). */
export function defaultDescription(naming: WorkflowNaming): string {
  return `${naming.title}: counts the characters, words and lines of a text and stores the counts as an artifact.`;
}

/** Checks and normalises `--description` (one line, 1-500 characters). Throws ValidationError. */
export function checkDescription(description: string): string {
  const d = oneLine(description);
  if (d === '') throw new ValidationError('--description must not be empty');
  if (d.length > MAX_DESCRIPTION_LENGTH) {
    throw new ValidationError(`--description is ${d.length} characters; the limit is ${MAX_DESCRIPTION_LENGTH}`);
  }
  return d;
}

/** Requests a user might type for the new workflow (the offline router scores them). */
export function defaultExamples(naming: WorkflowNaming): string[] {
  const words = naming.action.replace(/_/g, ' ');
  return [`${words} this text`, `run ${naming.name} on my notes`, `${naming.area} ${words}: count the words`];
}

/**
 * The workflow module, its unit test and its docs page for `naming`, rendered from the templates.
 * Pure: reads the templates, writes nothing.
 */
export function renderWorkflowFiles(naming: WorkflowNaming, description: string, queue = 'nodes'): PlannedFile[] {
  const examples = defaultExamples(naming);
  const workflow = renderTemplate(loadTemplate('workflow.ts.tpl'), {
    name: naming.name,
    descriptionComment: commentText(description),
    pascal: naming.pascal,
    identifier: naming.identifier,
    nameLiteral: tsString(naming.name),
    descriptionLiteral: tsString(description),
    examplesLines: examples.map((e) => `    ${tsString(e)},\n`).join(''),
    artifactDescriptionLiteral: tsString(`Character, word and line counts made by ${naming.name}`),
    computedLogLiteral: tsString(`${naming.name} computed`),
    queueLiteral: tsString(queue),
  });
  const test = renderTemplate(loadTemplate('workflow.test.ts.tpl'), {
    name: naming.name,
    nameLiteral: tsString(naming.name),
    pascal: naming.pascal,
    identifier: naming.identifier,
    area: naming.area,
    action: naming.action,
  });
  const docs = renderTemplate(loadTemplate('workflow.md.tpl'), {
    title: naming.title,
    name: naming.name,
    description,
    workflowFile: naming.workflowFile,
    testFile: naming.testFile,
    examplesList: examples.map((e) => `- “${e}”`).join('\n'),
    firstExample: examples[0]!,
    pascal: naming.pascal,
    queue,
  });
  return [
    { path: naming.workflowFile, content: workflow },
    { path: naming.testFile, content: test },
    { path: naming.docsFile, content: docs },
  ];
}
