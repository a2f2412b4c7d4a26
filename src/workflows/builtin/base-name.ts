/** A base name for tables and files from an artifact name: `Orders 2024.csv` → `orders_2024`. */
export function baseName(name: string | null | undefined, fallback = 'data'): string {
  if (!name) return fallback;
  const stem = name.replace(/^.*[\\/]/, '').replace(/\.[A-Za-z0-9]{1,5}(\.gz)?$/, '');
  const cleaned = stem
    .normalize('NFKD')
    .replace(/[^\w]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
  return cleaned || fallback;
}
