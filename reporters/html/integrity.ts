/** Whether report.json still matches its recorded sha256: a line for the run details, a banner for the verdict. */
import { checkReport } from '../../src/report/canonical.js';
import type { Report } from '../../src/report/types.js';
import { text } from './format.js';

export interface Integrity {
  /** Shown in the verdict when the report was changed after the run; empty otherwise. */
  banner: string;
  /** The "Report sha256" value of the run details. */
  line: string;
}

export function renderIntegrity(report: Report): Integrity {
  if (report.sha256 === undefined) {
    return { banner: '', line: `<span class="muted">not stamped</span>` };
  }
  const check = checkReport(report);
  if (check.status === 'untouched') {
    return { banner: '', line: `<code class="hash">${text(report.sha256)}</code> <span class="ok-note">(matches the content)</span>` };
  }
  return {
    banner: `<p class="tamper" role="alert"><strong>This report was changed after the run.</strong> Its content does not match its recorded sha256; do not rely on it.</p>`,
    line: `<code class="hash">${text(report.sha256)}</code> <strong class="bad-note">does not match the content (${text(check.actual)})</strong>`,
  };
}
