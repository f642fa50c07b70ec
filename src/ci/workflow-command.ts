/**
 * GitHub Actions workflow commands (`::error title=T::message`), escaped the way the runner reads
 * them (as @actions/core does): in the message `%`, CR and LF; in a property also `:` and `,`.
 * Unescaped, a message with a newline would end the command early, and a property with `::` or
 * `,` would end the property list early.
 */

/** A workflow command's message. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A workflow command's property value. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** One workflow command line, `::command prop=value,...::message`, with its newline. */
export function workflowCommand(command: 'error' | 'warning' | 'notice', properties: Record<string, string>, message: string): string {
  const props = Object.entries(properties)
    .map(([k, v]) => `${k}=${escapeProperty(v)}`)
    .join(',');
  return `::${command}${props ? ` ${props}` : ''}::${escapeData(message)}\n`;
}
