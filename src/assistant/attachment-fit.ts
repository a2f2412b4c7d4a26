import type { ArtifactHint } from '../llm/llm.js';
import { idsIn } from './fan-out.js';

/** What a user's file is, in plain words, by its kind. */
export function kindInWords(kind: string | undefined): string {
  switch (kind) {
    case 'jil':
      return 'an AutoSys JIL export';
    case 'csv':
      return 'a CSV file';
    case 'json':
      return 'a JSON file';
    case 'text':
      return 'plain text (neither JIL nor CSV)';
    case 'binary':
    case undefined:
      return 'not a text file (its bytes are binary)';
    default:
      return `a ${kind} artifact`;
  }
}

/**
 * When the request used none of the files attached to this message, a sentence for each saying
 * what the file is: the reason the assistant asks for a file although one was attached (a CSV sent
 * to the Airflow conversion, a PNG named `.jil`). Empty when some attachment was used.
 */
export function unusedAttachments(attached: ArtifactHint[], params: Record<string, unknown>[], tool: string): string[] {
  const used = new Set(params.flatMap(idsIn));
  if (attached.some((a) => used.has(a.artifactId))) return [];
  return attached.map((a) => `I could not use ${a.name ? `**${a.name}**` : a.artifactId}: it is ${kindInWords(a.kind)}, which **${tool}** cannot read.`);
}
