import { readFileSync } from 'node:fs';
import { ValidationError } from '../../errors/validation-error.js';

const PLACEHOLDER = /\{\{([A-Za-z][A-Za-z0-9]*)\}\}/g;

/**
 * Replaces every `{{key}}` in `template` with `values[key]`. A placeholder without a value, or a
 * value no placeholder uses, is an error: a template and its caller can never drift apart silently.
 */
export function renderTemplate(template: string, values: Readonly<Record<string, string>>): string {
  const used = new Set<string>();
  const missing = new Set<string>();
  const out = template.replace(PLACEHOLDER, (_m, key: string) => {
    const v = values[key];
    if (v === undefined) {
      missing.add(key);
      return '';
    }
    used.add(key);
    return v;
  });
  if (missing.size > 0) throw new ValidationError(`template placeholders without a value: ${[...missing].sort().join(', ')}`);
  const unused = Object.keys(values).filter((k) => !used.has(k));
  if (unused.length > 0) throw new ValidationError(`template values no placeholder uses: ${unused.sort().join(', ')}`);
  return out;
}

/** Reads `templates/<file>` (UTF-8), the `.tpl` files beside this module. */
export function loadTemplate(file: string): string {
  return readFileSync(new URL(`./templates/${file}`, import.meta.url), 'utf8');
}
