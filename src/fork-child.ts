/**
 * Forks a child process from a module beside the caller (`name` without extension), talking over
 * IPC with the advanced serialization (Buffers pass as they are), stderr piped, stdout ignored.
 * From the TypeScript sources (tsx, vitest) the child runs the `.ts` file under tsx's loader,
 * resolved from this package; from dist/ the `.js` file.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

export function forkSibling(callerUrl: string, name: string): ChildProcess {
  const fromSource = callerUrl.endsWith('.ts');
  const entry = fileURLToPath(new URL(`./${name}${fromSource ? '.ts' : '.js'}`, callerUrl));
  const execArgv = fromSource ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href] : [];
  return fork(entry, [], { execArgv, serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
}
