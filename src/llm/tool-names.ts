/** Names the Messages API accepts for a tool. */
export const API_TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/** `jil.parse` → `jil_parse`: every character the API refuses becomes `_`, cut to 64 characters. */
export function toApiToolName(name: string): string {
  const s = name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64);
  return s.length ? s : '_';
}

/**
 * A two-way map between our tool names and the API's, built per request so the mapping is always
 * reversible: when two names would collide (`a.b` and `a_b`), the later one gets a `_2`, `_3` …
 * suffix (still within 64 characters).
 */
export class ToolNameMap {
  private readonly toApi = new Map<string, string>();
  private readonly fromApi = new Map<string, string>();

  constructor(names: readonly string[]) {
    for (const name of names) {
      if (this.toApi.has(name)) continue;
      const base = toApiToolName(name);
      let candidate = base;
      for (let i = 2; this.fromApi.has(candidate); i++) {
        const suffix = `_${i}`;
        candidate = base.slice(0, 64 - suffix.length) + suffix;
      }
      this.toApi.set(name, candidate);
      this.fromApi.set(candidate, name);
    }
  }

  /** The API name for one of our names (mapped on the fly if it was not in the list). */
  api(name: string): string {
    return this.toApi.get(name) ?? toApiToolName(name);
  }

  /** Our name for an API name, or undefined when the model named a tool we never offered. */
  original(apiName: string): string | undefined {
    return this.fromApi.get(apiName);
  }
}
