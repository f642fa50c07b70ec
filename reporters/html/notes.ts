/** What the run did beside testing (report.notes), shown under the run details. */
import { text } from './format.js';

export function renderNotes(notes: string[]): string {
  if (notes.length === 0) return '';
  return `<h3>Notes</h3><ul class="notes">${notes.map((n) => `<li>${text(n)}</li>`).join('')}</ul>`;
}
