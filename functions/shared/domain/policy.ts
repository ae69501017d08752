import { z } from 'zod';
import { ConfigError } from '../errors.ts';

/**
 * The dunning policy: which reminders go out when, in what tone, with what fee. One JSON file in the
 * repo (policy/dunning.json), validated at start; this module holds its schema and nothing that reads
 * files, so the Lambdas can bundle the policy while the CLI reads it from disk.
 */

const majorAmount = z.string().regex(/^\d+(\.\d+)?$/, 'expected a decimal string such as "15.00"');

const feeSchema = z.union([
  z.object({ flat: z.record(z.string().regex(/^[A-Z]{3}$/), majorAmount) }).strict(),
  z.object({ percentBasisPoints: z.number().int().min(1).max(10_000) }).strict(),
]);

export const stageSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9-]*$/, 'expected a lower-case name such as "first"'),
    /** Days after the due date (negative for a courtesy reminder before it). */
    offsetDays: z.number().int().min(-60).max(365),
    tone: z.enum(['friendly', 'firm', 'final']),
    template: z.string().regex(/^[a-z][a-z0-9-]*$/),
    fee: feeSchema.optional(),
    /** The invoice is handed to a person: a call task is recorded and collections is told. */
    handOff: z.boolean().default(false),
  })
  .strict();

export const policySchema = z
  .object({
    $comment: z.string().optional(),
    minimumGapDays: z.number().int().min(0).max(60).default(3),
    /** Below this outstanding amount (major units, per currency or `default`) nothing is sent. */
    minimumAmount: z.record(z.string(), majorAmount).default({ default: '0' }),
    stages: z.array(stageSchema).min(1),
    company: z
      .object({
        name: z.string().min(1),
        contactEmail: z.email(),
        contactPhone: z.string().min(3).optional(),
        bankTransfer: z.object({
          accountName: z.string().min(1),
          iban: z.string().min(8),
          bic: z.string().min(8).optional(),
        }),
      })
      .strict(),
    collections: z.object({ name: z.string().min(1), email: z.email() }).strict(),
  })
  .strict()
  .superRefine((policy, ctx) => {
    const names = new Set<string>();
    policy.stages.forEach((stage, index) => {
      if (names.has(stage.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['stages', index, 'name'],
          message: `stage "${stage.name}" twice`,
        });
      }
      names.add(stage.name);
      const previous = policy.stages[index - 1];
      if (previous && stage.offsetDays <= previous.offsetDays) {
        ctx.addIssue({
          code: 'custom',
          path: ['stages', index, 'offsetDays'],
          message: 'stages must be in rising order of offsetDays',
        });
      }
    });
    const handOffs = policy.stages.filter((stage) => stage.handOff);
    if (handOffs.length > 1 || (handOffs.length === 1 && !policy.stages.at(-1)?.handOff)) {
      ctx.addIssue({
        code: 'custom',
        path: ['stages'],
        message: 'only the last stage may hand the invoice off',
      });
    }
  });

export type Policy = z.infer<typeof policySchema>;
export type Stage = z.infer<typeof stageSchema>;

/** Validates a parsed policy document; the error names the file, the path inside it and the reason. */
export const parsePolicy = (document: unknown, source: string): Policy => {
  const result = policySchema.safeParse(document);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
  );
  throw new PolicyError(`Invalid dunning policy ${source}: ${problems.join('; ')}`);
};

export class PolicyError extends ConfigError {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyError';
  }
}
