#!/usr/bin/env node
/**
 * The command line: run, serve, proxy, verify-pact, check-pact, report. Every error ends in one line
 * and an exit code (0 conforms, 1 does not conform, 2 usage/configuration/connectivity, 130
 * interrupted), never a stack trace.
 */
import { ExitCode, isConformanceError, UsageError } from '../errors.js';
import { toolName, toolVersion } from '../version.js';
import { configFileOptions, helpText, proxyOptions, runOptions, targetOptions } from './options.js';
import { parseFlags, resolveRunConfig } from './parse.js';

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, [...runOptions, ...configFileOptions]);
  if (positionals.length > 0) throw new UsageError(`run takes no arguments, got ${JSON.stringify(positionals[0])}`);
  // Flag, then environment, then the config file, then the default.
  const { layerRunOptions, resolveWithFileLines } = await import('../config/config-layers.js');
  const layered = layerRunOptions(values, process.env, runOptions, process.cwd());
  const config = resolveWithFileLines(layered, () => resolveRunConfig(layered.values, process.env, runOptions));
  if (values['print-config'] === true) {
    const { formatConfig } = await import('../config/print-config.js');
    process.stdout.write(formatConfig(layered, runOptions, process.env));
    return ExitCode.conforms;
  }
  const { runCommand } = await import('./run.js');
  return runCommand(config);
}

async function serve(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, [], { port: { type: 'string' }, host: { type: 'string' }, json: { type: 'boolean' } });
  const portRaw = (values.port as string | undefined) ?? '0';
  if (!/^\d+$/.test(portRaw) || Number(portRaw) > 65535) throw new UsageError(`--port takes a port number 0..65535, not ${JSON.stringify(portRaw)}`);
  const { serveCommand } = await import('./serve.js');
  const target = await serveCommand({ port: Number(portRaw), host: (values.host as string | undefined) ?? '127.0.0.1', json: values.json === true, out: process.stdout });
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await target.close();
  return ExitCode.conforms;
}

async function proxy(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, proxyOptions);
  if (positionals.length > 0) throw new UsageError(`proxy takes no arguments, got ${JSON.stringify(positionals[0])}`);
  const { parseProxyOptions, proxyCommand } = await import('./proxy.js');
  return proxyCommand(parseProxyOptions(values, process.env), process.stdout);
}

async function verifyPact(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, targetOptions, { pact: { type: 'string' }, 'no-progress': { type: 'boolean' } });
  const pact = values.pact as string | undefined;
  if (!pact) throw new UsageError('verify-pact needs --pact FILE|DIR');
  const config = resolveRunConfig(values, process.env, targetOptions);
  // Report files only when asked for (--report-dir or SO_REPORT_DIR), never over a run's reports/ by default.
  const reportDir = values['report-dir'] !== undefined || process.env.SO_REPORT_DIR ? config.reportDir : undefined;
  const { verifyPactCommand } = await import('./verify-pact.js');
  return (await verifyPactCommand({ pact, config, out: process.stdout, ...(reportDir !== undefined ? { reportDir } : {}) })).exitCode;
}

async function checkPact(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, [], { pact: { type: 'string' }, spec: { type: 'string' } });
  const pact = values.pact as string | undefined;
  if (!pact) throw new UsageError('check-pact needs --pact FILE');
  const { checkPactCommand } = await import('./check-pact.js');
  return checkPactCommand({ pact, ...(values.spec ? { specPath: values.spec as string } : {}), out: process.stdout });
}

/** `report site DIR... --out SITE`: a static site over many runs. */
async function reportSite(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, [], { out: { type: 'string' } });
  const { reportSiteCommand } = await import('./report-site.js');
  return reportSiteCommand({ inputs: positionals, outDir: values.out as string | undefined, out: process.stdout });
}

async function report(argv: string[]): Promise<number> {
  if (argv[0] === 'site') return reportSite(argv.slice(1));
  if (argv[0] === 'diff') return (await import('./report-diff.js')).reportDiffCommand(argv.slice(1), process.stdout);
  const { values, positionals } = parseFlags(argv, [], { verify: { type: 'boolean' }, 'report-dir': { type: 'string' } });
  if (positionals.length === 0) throw new UsageError('report needs at least one report.json');
  const { reportCommand } = await import('./report.js');
  return reportCommand({ files: positionals, outDir: (values['report-dir'] as string | undefined) ?? 'reports', verify: values.verify === true, out: process.stdout });
}

async function verify(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, [], { key: { type: 'string' }, keyless: { type: 'boolean' } });
  const key = values.key as string | undefined;
  const keyless = values.keyless === true;
  if ((key === undefined && !keyless) || key?.trim() === '') {
    throw new UsageError('verify needs --key PUBLIC.pem (the public key of the --sign-key that signed the run) or --keyless (a run signed with --sign-keyless)');
  }
  const file = key !== undefined ? 'report.intoto.jsonl' : 'report.sigstore.json';
  if (positionals.length !== 1) throw new UsageError(`verify takes one report folder (or its ${file}), got ${positionals.length}`);
  const { verifyCommand } = await import('./verify.js');
  return verifyCommand({ ...(key !== undefined ? { keyPath: key } : {}), keyless, path: positionals[0]!, out: process.stdout });
}

const commands: Record<string, (argv: string[]) => Promise<number>> = { run, serve, proxy, 'verify-pact': verifyPact, 'check-pact': checkPact, report, verify };

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help' || rest.includes('--help')) {
    process.stdout.write(helpText(toolName));
    return command === undefined ? ExitCode.usage : ExitCode.conforms;
  }
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${toolVersion}\n`);
    return ExitCode.conforms;
  }
  const handler = commands[command];
  if (!handler) throw new UsageError(`unknown command ${JSON.stringify(command)}; try --help`);
  return handler(rest);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (isConformanceError(e)) {
      process.stderr.write(`${toolName}: ${e.message}\n`);
      process.exit(e.exitCode);
    }
    const err = e as Error;
    process.stderr.write(`${toolName}: internal error: ${err?.message ?? String(e)}\n`);
    if (process.env.SO_DEBUG) process.stderr.write(`${err?.stack ?? ''}\n`);
    process.exit(ExitCode.usage);
  },
);
