/**
 * The JSON schema of a baseline file (`run --baseline FILE`): a list of accepted findings, each
 * a rule id, why it is accepted and the last day it is (YYYY-MM-DD, a real calendar date). The
 * rule ids are checked against the rules catalogue once it is loaded (src/run/baseline.ts).
 */
export const baselineFileSchema = {
  $id: 'https://person-image-conformance/baseline.schema.json',
  type: 'array',
  description: 'Accepted findings: while an entry is in force, its rule failing does not make the target does-not-conform.',
  items: {
    type: 'object',
    required: ['rule', 'reason', 'expires'],
    additionalProperties: false,
    properties: {
      rule: { type: 'string', minLength: 1, description: 'The id of a rule of spec/rules.yaml.' },
      reason: { type: 'string', pattern: '\\S', description: 'Why the finding is accepted (not blank).' },
      expires: {
        type: 'string',
        pattern: '^\\d{4}-\\d{2}-\\d{2}$',
        format: 'date',
        description: 'The last day (UTC) the entry is in force; from the next day the finding counts again.',
      },
    },
  },
} as const;
