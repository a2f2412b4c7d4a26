import type { ArtifactHint } from './llm.js';
import type { PropInfo } from './schema-props.js';
import { splitIdentifier, stem } from './text.js';

/** Any artifact id, anywhere in a string. */
export const ARTIFACT_ID_RE = /art_[A-Za-z0-9_-]+/g;

/** Every artifact id in `text`, in order of first appearance, without duplicates. */
export function artifactIdsIn(text: string): string[] {
  return [...new Set(text.match(ARTIFACT_ID_RE) ?? [])];
}

/** Words that say what kind of content an artifact holds (`text/x-jil` + `box.jil` → jil, text). */
export function artifactKinds(hint: ArtifactHint): Set<string> {
  const kinds = new Set<string>();
  const [major, minor = ''] = hint.contentType.toLowerCase().split(';')[0]!.trim().split('/');
  for (const w of splitIdentifier(minor.replace(/^(x-|vnd\.)/, ''))) if (w !== 'x' && w !== 'vnd') kinds.add(stem(w));
  if (major) kinds.add(stem(major));
  const ext = hint.name?.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  if (ext) kinds.add(stem(ext));
  if (ext === 'yml') kinds.add('yaml');
  if (ext === 'sql' || minor === 'sql') kinds.add('ddl');
  for (const w of splitIdentifier(hint.workflowName ?? '')) kinds.add(stem(w));
  for (const w of splitIdentifier(hint.kind ?? '')) kinds.add(stem(w));
  return kinds;
}

/** Content kinds a property may ask for by name or description. */
const KIND_WORDS = new Set(
  ['jil', 'csv', 'tsv', 'json', 'jsonl', 'yaml', 'xml', 'sql', 'ddl', 'parquet', 'avro', 'airflow', 'dag', 'python', 'excel', 'xlsx', 'markdown', 'html', 'pdf'].map(stem),
);

/** True when the property's name/description names a specific content kind (`jilArtifactId`). */
export function asksForKind(p: PropInfo): boolean {
  return [...p.hintTerms].some((t) => KIND_WORDS.has(t));
}

/** Kind words that are too broad to tell two artifact properties apart. */
const BROAD = new Set(['text', 'application', 'plain', 'octet', 'stream', 'file', 'artifact', 'input', 'output', 'data']);

function specificKinds(hint: ArtifactHint): Set<string> {
  return new Set([...artifactKinds(hint)].filter((k) => !BROAD.has(k)));
}

/**
 * Fills artifact-typed properties. Ids written in the message come first, then attached/recent
 * artifacts. A property takes an artifact when the match is unambiguous: the only artifact-typed
 * property and the only candidate, or the only candidate whose kind (content type, extension,
 * workflow) appears in the property's name/description. Returns the filled values.
 */
export function extractArtifactParams(
  props: readonly PropInfo[],
  messageIds: readonly string[],
  hints: readonly ArtifactHint[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const artifactProps = props.filter((p) => p.artifact);
  if (artifactProps.length === 0) return out;
  const hintById = new Map(hints.map((h) => [h.artifactId, h]));
  const fromMessage = messageIds.map((id) => hintById.get(id) ?? { artifactId: id, name: null, contentType: '' });
  const known = new Set(messageIds);
  const attached = hints.filter((h) => !known.has(h.artifactId));
  const used = new Set<string>();

  const matchesKind = (p: PropInfo, h: ArtifactHint) => [...specificKinds(h)].some((k) => p.hintTerms.has(k));

  for (const pool of [fromMessage, attached]) {
    const free = () => pool.filter((h) => !used.has(h.artifactId));
    // Arrays take every candidate of their kind (or all of this pool when only one artifact property).
    for (const p of artifactProps) {
      if (p.name in out || p.type !== 'array') continue;
      const kinded = free().filter((h) => matchesKind(p, h));
      const take = kinded.length ? kinded : artifactProps.length === 1 ? free() : [];
      if (take.length && (pool === fromMessage || kinded.length)) {
        out[p.name] = take.map((h) => h.artifactId);
        for (const h of take) used.add(h.artifactId);
      }
    }
    // Single-valued: first by kind, then by elimination.
    for (const p of artifactProps) {
      if (p.name in out || p.type === 'array') continue;
      const kinded = free().filter((h) => matchesKind(p, h));
      if (kinded.length === 1) {
        out[p.name] = kinded[0]!.artifactId;
        used.add(kinded[0]!.artifactId);
      }
    }
    const openProps = artifactProps.filter((p) => !(p.name in out) && p.type !== 'array');
    const left = free();
    if (openProps.length === 1 && left.length >= 1) {
      const p = openProps[0]!;
      // From the message: the first id left is what the user pointed at. From attachments: only
      // when exactly one is left and the property does not ask for a different kind.
      if (pool === fromMessage) {
        out[p.name] = left[0]!.artifactId;
        used.add(left[0]!.artifactId);
      } else if (left.length === 1 && (!asksForKind(p) || matchesKind(p, left[0]!))) {
        out[p.name] = left[0]!.artifactId;
        used.add(left[0]!.artifactId);
      }
    }
  }
  return out;
}
