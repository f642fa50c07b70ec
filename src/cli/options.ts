/**
 * The options of `run` (and the target options `verify-pact` shares): one table drives the
 * parser, the environment variables, --help and the README's configuration table.
 */
export interface OptionSpec {
  flag: string;
  env?: string;
  value?: string;
  description: string;
  default?: string;
  repeatable?: boolean;
  /** The value of a flag given without one (`--har` alone is `--har counterexamples`). */
  impliedValue?: string;
  /** A secret: --print-config redacts it, and a config file may give it as `${ENV}` references. */
  secret?: boolean;
}

export const targetOptions: OptionSpec[] = [
  { flag: 'target', env: 'SO_TARGET', value: 'URL', description: 'Base URL up to and including /api/v1; without it the embedded reference target is started' },
  {
    flag: 'auth',
    env: 'SO_AUTH',
    value: 'SCHEME:CREDENTIAL',
    repeatable: true,
    secret: true,
    description: 'basic:USER:PASSWORD, soticket:TICKET or bearer:TOKEN; repeat for several (SO_AUTH: comma-separated)',
  },
  {
    flag: 'auth-command',
    env: 'SO_AUTH_COMMAND',
    value: 'CMD',
    description: 'A command that prints one SCHEME:CREDENTIAL line; run at the start and whenever a ticket or token expires (SO_AUTH_SCHEME tells it which)',
  },
  { flag: 'session-cookie', env: 'SO_SESSION_COOKIE', value: 'COOKIE', secret: true, description: 'A browser session\'s Cookie header (with --xsrf-token)' },
  { flag: 'xsrf-token', env: 'SO_XSRF_TOKEN', value: 'TOKEN', secret: true, description: 'The XSRF-TOKEN cookie value of that session' },
  { flag: 'app-token', env: 'SO_APP_TOKEN', value: 'TOKEN', secret: true, description: 'SO-AppToken (Online, with a ticket)' },
  { flag: 'person-id', env: 'SO_PERSON_ID', value: 'N', description: 'A person whose image the run may replace; it is saved first and restored after' },
  { flag: 'timeout', env: 'SO_TIMEOUT', value: 'MS', description: 'Per-request timeout (the whole exchange: headers and body)', default: '30000' },
  { flag: 'report-dir', env: 'SO_REPORT_DIR', value: 'DIR', description: 'Where report.json, report.html, junit.xml and ctrf.json go', default: 'reports' },
  { flag: 'spec', env: 'SO_SPEC', value: 'PATH', description: 'Another OpenAPI document to test against', default: 'spec/person-image.openapi.yaml' },
];

export const runOptions: OptionSpec[] = [
  ...targetOptions,
  { flag: 'seed', env: 'SO_SEED', value: 'N', description: 'Seed of the generators; the report names it, so a run can be replayed', default: 'random' },
  { flag: 'runs', env: 'SO_RUNS', value: 'N', description: 'Cases per case family', default: '25' },
  { flag: 'concurrency', env: 'SO_CONCURRENCY', value: 'N', description: 'Requests in flight at once', default: '4' },
  { flag: 'rate', env: 'SO_RATE', value: 'N', description: 'Requests per second', default: 'unlimited on loopback, 10 otherwise' },
  { flag: 'ca', env: 'SO_CA_FILE', value: 'FILE', description: 'PEM file of CA certificates trusted for the target beside the public roots (NODE_EXTRA_CA_CERTS works too)' },
  { flag: 'max-upload-mb', env: 'SO_MAX_UPLOAD_MB', value: 'N', description: 'Upload budget in MiB; when spent, no new case starts and report.notes says so', default: '512 remote, unlimited on loopback' },
  { flag: 'dry-run', description: 'Print the plan (rules, cases, requests, bytes, duration at the rate) and send nothing' },
  { flag: 'only', env: 'SO_ONLY', value: 'RULE,...', description: 'Run only these rules (ids of spec/rules.yaml)' },
  { flag: 'pact', env: 'SO_PACT', value: 'FILE|DIR', description: 'Also verify these Pact files; the results join the report' },
  { flag: 'baseline', env: 'SO_BASELINE', value: 'FILE', description: 'Accepted findings (JSON or YAML list of {rule, reason, expires: YYYY-MM-DD}): shown, but they do not fail the verdict until they expire' },
  { flag: 'shard', env: 'SO_SHARD', value: 'I/N', description: 'Run the I-th of N shards of the case families; merge with the report command' },
  { flag: 'no-progress', description: 'No progress lines on stderr' },
  {
    flag: 'har',
    env: 'SO_HAR',
    value: '[all]',
    impliedValue: 'counterexamples',
    description: 'Also write exchanges.har (HAR 1.2, redacted): the counterexamples\' exchanges; `all`: every exchange of the run, streamed (SO_HAR: counterexamples or all)',
  },
  { flag: 'sign-key', env: 'SO_SIGN_KEY', value: 'FILE', description: 'PEM private key (Ed25519 or ECDSA P-256): sign the reports into report.intoto.jsonl (check with verify)' },
  {
    flag: 'sign-keyless',
    env: 'SO_SIGN_KEYLESS',
    description:
      'Sign the reports through Sigstore into report.sigstore.json with the OIDC token of GitHub Actions (`permissions: id-token: write`) or SIGSTORE_ID_TOKEN (check with verify --keyless; SO_SIGN_KEYLESS: 1 or 0; other instances: SO_SIGSTORE_FULCIO_URL, SO_SIGSTORE_REKOR_URL)',
  },
];

/** The options of `proxy`, the checking proxy in front of a target (src/cli/proxy.ts). */
export const proxyOptions: OptionSpec[] = [
  { flag: 'target', env: 'SO_TARGET', value: 'URL', description: 'Base URL of the target up to and including /api/v1; without it the embedded reference target is started and its credentials printed' },
  { flag: 'port', value: 'N', description: 'Port to listen on (0: any free port)', default: '0' },
  { flag: 'host', value: 'H', description: 'Address to listen on; a non-loopback one only with --allow-remote-listen', default: '127.0.0.1' },
  { flag: 'allow-remote-listen', description: 'Allow a --host that is not loopback (the proxy relays credentials)' },
  { flag: 'report-dir', env: 'SO_REPORT_DIR', value: 'DIR', description: 'Where report.json, report.html, junit.xml, ctrf.json and exchanges.har go', default: 'reports' },
  { flag: 'duration', value: 'S', description: 'End the session after S seconds' },
  { flag: 'requests', value: 'N', description: 'End the session after N requests' },
  { flag: 'rate', env: 'SO_RATE', value: 'N', description: 'The request rate the integration must stay under, per second', default: '10' },
  { flag: 'online', description: 'Judge as for SuperOffice Online (a ticket needs SO-AppToken) whatever the target URL says' },
  { flag: 'timeout', env: 'SO_TIMEOUT', value: 'MS', description: 'How long the target may take to answer', default: '30000' },
  { flag: 'ca', env: 'SO_CA_FILE', value: 'FILE', description: 'PEM of CA certificates trusted for the target beside the public roots' },
  { flag: 'spec', env: 'SO_SPEC', value: 'PATH', description: 'Another OpenAPI document', default: 'spec/person-image.openapi.yaml' },
  { flag: 'json', description: 'Print the proxy\'s URL (and the embedded target\'s credentials) as one JSON line' },
];

/** The options of `run` about its config file; not keys of the file themselves. */
export const configFileOptions: OptionSpec[] = [
  { flag: 'config', env: 'SO_CONFIG', value: 'FILE', description: 'Config file (JSON or YAML) holding options of run', default: 'person-image-conformance.config.json, .yaml or .yml in the working directory' },
  { flag: 'print-config', description: 'Print the merged options (secrets redacted) and where each came from: flag, env, file or default; send nothing' },
];

export const helpText = (name: string): string => {
  const table = (opts: OptionSpec[]) =>
    opts
      .map((o) => {
        const left = `  --${o.flag}${o.value ? ` ${o.value}` : ''}`;
        const right = `${o.description}${o.default ? ` (default: ${o.default})` : ''}${o.env ? ` [${o.env}]` : ''}`;
        return `${left.padEnd(34)} ${right}`;
      })
      .join('\n');
  return `${name} — conformance suite for PUT /api/v1/Person/{personId}/Image

Usage:
  ${name} run [options]            Run the conformance suite; writes report.json, report.html, junit.xml, ctrf.json
  ${name} serve [--port N] [--host H] [--json]
                                   Start the embedded reference target alone (--port 0: any free port)
  ${name} verify-pact --pact FILE|DIR [target options] [--no-progress]
                                   Verify Pact contracts against the target (embedded by default);
                                   with --report-dir, also writes the report files there
  ${name} proxy [options of proxy] A checking proxy for an integration's traffic, judging both sides;
                                   Ctrl-C, --duration or --requests ends it and writes the reports
  ${name} check-pact --pact FILE   Check a pact against the OpenAPI description, offline
  ${name} report FILE... [--report-dir DIR]
                                   Re-render report.html, junit.xml and ctrf.json from report.json (several: merge shards)
  ${name} report --verify FILE     Tell an untouched report.json from an edited one
  ${name} report site DIR... --out SITE
                                   A static site over many runs (report.json files or folders): verdicts, rules x runs, latency
  ${name} report diff OLD.json NEW.json [--json | --markdown]
                                   What changed between two runs; exit 1 when NEW has a MUST failure OLD did not
  ${name} verify (--key PUBLIC.pem | --keyless) REPORT_DIR
                                   Check report.intoto.jsonl (--key) or report.sigstore.json (--keyless, who signed): the signature holds and every report file matches
  ${name} --help | --version

Options of run (each also an environment variable, so secrets stay out of shell history):
${table(runOptions)}

Config file (keys are the options above without the dashes; a flag wins over its variable, the variable over the file):
${table(configFileOptions)}

Options of proxy (the config file does not apply to it):
${table(proxyOptions)}

Examples:
  # Against the embedded reference target (no installation needed):
  ${name} run

  # An onsite installation, Basic and a ticket, person 123 may be changed (and is restored):
  SO_AUTH='basic:certify:s3cret,soticket:7T:abc==' \\
    ${name} run --target https://crm.example.com/SuperOffice/api/v1 --person-id 123

  # SuperOffice Online (stage), a ticket with the application token:
  SO_AUTH='soticket:7T:abc==' SO_APP_TOKEN=0123456789abcdef \\
    ${name} run --target https://qaonline.superoffice.com/Cust12345/api/v1 --person-id 42

  # Replay one failure exactly, as the report says:
  ${name} run --seed 1234 --runs 25 --only empty-body-rejected

Exit codes: 0 conforms (warnings allowed), 1 does not conform, 2 usage, configuration or
connectivity error, 130 interrupted (the person's image is restored first).
`;
};
