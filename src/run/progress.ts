/** Progress on the terminal: a line per family, redrawn in place on a TTY. Writes to stderr. */
export interface Progress {
  family(name: string, total: number): void;
  tick(done: number, failures: number, warnings: number): void;
  familyDone(): void;
  note(message: string): void;
}

export const silentProgress: Progress = { family() {}, tick() {}, familyDone() {}, note() {} };

export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  const tty = Boolean(stream.isTTY);
  let name = '';
  let total = 0;
  let line = '';
  let lastDraw = 0;
  const render = (done: number, failures: number, warnings: number) =>
    `  ${name.padEnd(18)} ${String(done).padStart(5)}/${total} cases` + (failures ? `, ${failures} failing` : '') + (warnings ? `, ${warnings} warnings` : '');
  return {
    family(n, t) {
      name = n;
      total = t;
      line = render(0, 0, 0);
      if (tty) stream.write(line);
    },
    tick(done, failures, warnings) {
      line = render(done, failures, warnings);
      const now = Date.now();
      if (tty && (now - lastDraw > 80 || done === total)) {
        lastDraw = now;
        stream.write(`\r\x1b[2K${line}`);
      }
    },
    familyDone() {
      stream.write(tty ? `\r\x1b[2K${line}\n` : `${line}\n`);
    },
    note(message) {
      stream.write(`${message}\n`);
    },
  };
}
