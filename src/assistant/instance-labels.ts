/**
 * For a plan that runs one workflow more than once (once per attached file), the file each instance
 * is about, from its output's `name` or `table`; instances of a workflow run once get none.
 */
export function instanceLabels(instances: Record<string, string>, outputs: Record<string, Record<string, unknown>>): Map<string, string> {
  const times = new Map<string, number>();
  for (const w of Object.values(instances)) times.set(w, (times.get(w) ?? 0) + 1);
  const labels = new Map<string, string>();
  for (const [instance, workflow] of Object.entries(instances)) {
    const out = outputs[instance];
    if (!out || (times.get(workflow) ?? 0) < 2) continue;
    const about = [out.name, out.table].find((v): v is string => typeof v === 'string' && v !== '');
    if (about) labels.set(instance, about);
  }
  return labels;
}
