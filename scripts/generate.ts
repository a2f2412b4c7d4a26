// `npm run gen` / `gen:client` / `gen:contract`: writes the generated files (`--check`: fails when one is stale).
import { readFile, writeFile } from 'node:fs/promises';
import { CLIENT_TYPES_FILE, renderClientTypes } from './render-client-types.js';
import { renderJobContract } from './render-job-contract.js';

const targets: Record<string, () => Promise<Record<string, string>>> = {
  client: async () => ({ [CLIENT_TYPES_FILE]: await renderClientTypes() }),
  contract: async () => renderJobContract(),
};
const args = process.argv.slice(2);
const check = args.includes('--check');
const chosen = args.filter((a) => !a.startsWith('--'));
let stale = 0;
for (const name of chosen.length ? chosen : Object.keys(targets)) {
  const make = targets[name];
  if (!make) throw new Error(`unknown target ${name}; use ${Object.keys(targets).join(' or ')}`);
  for (const [file, text] of Object.entries(await make())) {
    const old = await readFile(file, 'utf8').catch(() => '');
    if (old === text) continue;
    if (check) {
      stale++;
      process.stderr.write(`${file} is out of date: run npm run gen\n`);
    } else {
      await writeFile(file, text);
      process.stdout.write(`wrote ${file}\n`);
    }
  }
}
if (stale) process.exitCode = 1;

