import { ConflictError } from '../../errors/conflict-error.js';
import { loadTemplate, renderTemplate } from './render-template.js';

/** One custom workflow as `src/workflows/custom/index.ts` registers it. */
export interface CustomIndexEntry {
  /** `area.action` */
  name: string;
  /** The exported const of `./<area>/<action>.ts`. */
  identifier: string;
}

const IMPORT_LINE = /^import \{ ([A-Za-z_$][A-Za-z0-9_$]*) \} from '\.\/([a-z0-9_]+)\/([a-z0-9_]+)\.js';$/gm;

/** The index module's text for these entries: deterministic (sorted by name, one line each). */
export function renderCustomIndex(entries: readonly CustomIndexEntry[]): string {
  const sorted = sortEntries(entries);
  return renderTemplate(loadTemplate('custom-index.ts.tpl'), {
    imports: sorted.map((e) => `import { ${e.identifier} } from './${e.name.replace('.', '/')}.js';\n`).join(''),
    registrations: sorted.map((e) => `  registry.register(${e.identifier});\n`).join(''),
  });
}

/**
 * Reads the entries back from the index text. The text must be exactly what `renderCustomIndex`
 * makes of them; anything else (a hand edit) is a ConflictError, so the CLI never drops code it
 * does not understand.
 */
export function parseCustomIndex(text: string, file = 'src/workflows/custom/index.ts'): CustomIndexEntry[] {
  const entries: CustomIndexEntry[] = [];
  for (const m of text.matchAll(IMPORT_LINE)) entries.push({ identifier: m[1]!, name: `${m[2]!}.${m[3]!}` });
  if (renderCustomIndex(entries) !== text) {
    throw new ConflictError(
      `${file} is not in the form dataops-workflow maintains (was it edited by hand?); restore it with one import and one register call per workflow, sorted by name`,
    );
  }
  return sortEntries(entries);
}

/** Adds one entry; a second entry of the same name or export identifier is a ConflictError. */
export function addCustomEntry(entries: readonly CustomIndexEntry[], entry: CustomIndexEntry): CustomIndexEntry[] {
  if (entries.some((e) => e.name === entry.name)) throw new ConflictError(`workflow "${entry.name}" is already registered in the custom index`);
  const clash = entries.find((e) => e.identifier === entry.identifier);
  if (clash) {
    throw new ConflictError(`workflow "${entry.name}" would export ${entry.identifier}, which "${clash.name}" already exports; choose another name`);
  }
  return sortEntries([...entries, entry]);
}

function sortEntries(entries: readonly CustomIndexEntry[]): CustomIndexEntry[] {
  return [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
