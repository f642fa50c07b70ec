/**
 * Workflow commands are escaped as GitHub's runner reads them (src/ci/workflow-command.ts): in the
 * message %, CR and LF; in a property also : and ,. Each character is shown alone, since an
 * unescaped one ends the command or the property early.
 */
import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty, workflowCommand } from '../../src/ci/workflow-command.js';

describe('workflow commands', () => {
  it.each([
    ['%', '%25'],
    ['\r', '%0D'],
    ['\n', '%0A'],
    ['50%\r\n', '50%25%0D%0A'],
    ['%0A', '%250A'],
    ['a:b,c', 'a:b,c'],
  ])('message %j → %j', (raw, escaped) => {
    expect(escapeData(raw)).toBe(escaped);
  });

  it.each([
    [':', '%3A'],
    [',', '%2C'],
    ['%', '%25'],
    ['\n', '%0A'],
    ['a::b,c%', 'a%3A%3Ab%2Cc%25'],
  ])('property %j → %j', (raw, escaped) => {
    expect(escapeProperty(raw)).toBe(escaped);
  });

  it('one line: `::command props::message` and a newline', () => {
    expect(workflowCommand('error', { title: 'rule:x,y' }, 'two\nlines')).toBe('::error title=rule%3Ax%2Cy::two%0Alines\n');
    expect(workflowCommand('warning', {}, 'plain')).toBe('::warning::plain\n');
    expect(workflowCommand('notice', { title: 'a', file: 'b' }, 'm')).toBe('::notice title=a,file=b::m\n');
  });
});
