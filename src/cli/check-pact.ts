/**
 * `check-pact --pact FILE|DIR [--spec FILE]`: checks pacts offline against the OpenAPI
 * description. Lists each incompatibility with its interaction and reason; 1 when there is any,
 * 0 when none. A file that is not a pact throws PactError (exit 2).
 */
import { checkPactAgainstSpec } from '../pact/check-against-spec.js';
import { isUrl, pactSources, readPactFile } from '../pact/pact-file.js';
import { PactError } from '../errors.js';
import { loadSpec } from '../spec/load.js';

export async function checkPactCommand(opts: { pact: string; specPath?: string; out: NodeJS.WritableStream }): Promise<number> {
  if (isUrl(opts.pact)) throw new PactError(`check-pact reads pact files and folders, not URLs: ${opts.pact}`);
  const spec = await loadSpec(opts.specPath);
  const files = pactSources(opts.pact);
  const pacts = files.map((file) => ({ file, pact: readPactFile(file) }));
  let total = 0;
  for (const { file, pact } of pacts) {
    const found = checkPactAgainstSpec(pact, spec, file);
    total += found.length;
    const head = `${file} (${pact.consumer.name} -> ${pact.provider.name}, ${pact.interactions.length} interactions)`;
    if (found.length === 0) {
      opts.out.write(`ok    ${head}: compatible with ${spec.path}\n`);
      continue;
    }
    opts.out.write(`FAIL  ${head}: ${found.length} incompatibilit${found.length === 1 ? 'y' : 'ies'} with ${spec.path}\n`);
    for (const f of found) opts.out.write(`  - "${f.interaction}": ${f.reason}\n`);
  }
  if (files.length > 1) opts.out.write(total === 0 ? `all ${files.length} pacts are compatible with the spec\n` : `${total} incompatibilit${total === 1 ? 'y' : 'ies'} in ${files.length} pacts\n`);
  return total === 0 ? 0 : 1;
}
