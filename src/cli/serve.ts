/**
 * `person-image-conformance serve`: starts the embedded reference target and prints how to
 * reach it, either as one JSON line (`--json`) or as a human block with an example upload.
 */
import { loadSpec } from '../spec/load.js';
import { describeTarget, startReferenceTarget, type RunningTarget } from '../target/server.js';

export interface ServeOptions {
  port: number;
  host: string;
  json: boolean;
  out: NodeJS.WritableStream;
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export async function serveCommand(opts: ServeOptions): Promise<RunningTarget> {
  const target = await startReferenceTarget({ host: opts.host, port: opts.port });
  const d = describeTarget(target);
  if (opts.json) {
    opts.out.write(`${JSON.stringify(d)}\n`);
    return target;
  }
  const { model } = await loadSpec();
  const person = d.persons[0] ?? 1;
  const imageUrl = `${d.url}${model.imagePath.replace(`{${model.personIdParameter.name}}`, String(person))}`;
  const pngType = model.imageMediaTypes.find((t) => t.endsWith('/png')) ?? model.imageMediaTypes[0] ?? '';
  const xsrfHeader = model.security.session?.headerName ?? '';
  const lines = [
    'Reference target (strict) listening',
    `  URL:      ${d.url}`,
    `  persons:  ${d.persons.join(', ')}`,
    `  basic:    ${d.credentials.basic.user} / ${d.credentials.basic.password}`,
    `  ticket:   ${d.credentials.soticket}`,
    `  bearer:   ${d.credentials.bearer}`,
    `  session:  Cookie: ${d.credentials.session.cookie}`,
    `            ${xsrfHeader}: ${d.credentials.session.xsrfToken}`,
    '',
    'Example upload:',
    `  curl -X PUT -u ${shellQuote(`${d.credentials.basic.user}:${d.credentials.basic.password}`)} \\`,
    `    -H ${shellQuote(`Content-Type: ${pngType}`)} --data-binary @photo.png \\`,
    `    ${shellQuote(imageUrl)}`,
    '',
    'Press Ctrl+C to stop.',
  ];
  opts.out.write(`${lines.join('\n')}\n`);
  return target;
}
