import { ConfigError } from '../errors.ts';
import * as z from '../validation.ts';

/**
 * The dunning policy: which reminders go out when, in what tone, with what fee. One JSON file in the
 * repo (policy/dunning.json), validated at start; this module holds its schema and nothing that reads
 * files, so the Lambdas can bundle the policy while the CLI reads it from disk.
 */

const majorAmount = z.string().check(z.regex(/^\d+(\.\d+)?$/, 'expected a decimal string such as "15.00"'));
const integer = (minimum: number, maximum: number) =>
  z.number().check(z.int(), z.gte(minimum), z.lte(maximum));
const text = (minimum: number) => z.string().check(z.minLength(minimum));
const language = z.string().check(z.regex(/^[a-z]{2,3}$/, 'expected a language code such as "en"'));
const name = z.string().check(z.regex(/^[a-z][a-z0-9-]*$/, 'expected a lower-case name such as "first"'));

const feeSchema = z.union([
  z.strictObject({ flat: z.record(z.string().check(z.regex(/^[A-Z]{3}$/)), majorAmount) }),
  z.strictObject({ percentBasisPoints: integer(1, 10_000) }),
]);

export const stageSchema = z.strictObject({
  name,
  /** Days after the due date (negative for a courtesy reminder before it). */
  offsetDays: integer(-60, 365),
  tone: z.enum(['friendly', 'firm', 'final']),
  template: z.string().check(z.regex(/^[a-z][a-z0-9-]*$/)),
  fee: z.optional(feeSchema),
  /** The invoice is handed to a person: a call task is recorded and collections is told. */
  handOff: z._default(z.boolean(), false),
});

/**
 * How the customer's answers from the reminder's link (`/respond`) hold reminders. Every field has a
 * default, so a policy file without the section behaves as documented in docs/answers.md.
 */
export const ANSWER_POLICY_DEFAULTS = {
  /** The link in a reminder works this many days after the email left. */
  linkExpiryDays: 60,
  /** "I will pay by": the latest date a customer may name, counted from their today. */
  maxPromiseDays: 14,
  /** Days after the promised date the invoice stays held before the promise counts as broken. */
  promiseGraceDays: 3,
  /** "I have paid": days the invoice is held while the payment is matched. */
  paidGraceDays: 5,
  /** A broken promise hands the invoice to a person at once instead of resuming reminders. */
  brokenPromiseHandsOff: false,
  /** Answers one link accepts; a second answer supersedes the first, a flood is refused. */
  maxAnswersPerLink: 5,
} as const;

export const answerPolicySchema = z.strictObject({
  linkExpiryDays: z._default(integer(1, 365), ANSWER_POLICY_DEFAULTS.linkExpiryDays),
  maxPromiseDays: z._default(integer(1, 90), ANSWER_POLICY_DEFAULTS.maxPromiseDays),
  promiseGraceDays: z._default(integer(0, 30), ANSWER_POLICY_DEFAULTS.promiseGraceDays),
  paidGraceDays: z._default(integer(0, 30), ANSWER_POLICY_DEFAULTS.paidGraceDays),
  brokenPromiseHandsOff: z._default(z.boolean(), ANSWER_POLICY_DEFAULTS.brokenPromiseHandsOff),
  maxAnswersPerLink: z._default(integer(1, 50), ANSWER_POLICY_DEFAULTS.maxAnswersPerLink),
});
export type AnswerPolicy = z.infer<typeof answerPolicySchema>;

/**
 * Statutory late-payment interest and compensation in reminders (docs/late-payment.md): off unless
 * `claimIn` names the jurisdiction (`GB`, `DE`, `FR`, or `EU` for every other euro-area state), and
 * only from the reminder of `fromStage` on.
 */
export const statutoryInterestSchema = z.strictObject({
  claimIn: z._default(z.array(z.enum(['GB', 'DE', 'FR', 'EU'])), []),
  fromStage: z.optional(name),
});

export const policySchema = z
  .strictObject({
    $comment: z.optional(z.string()),
    minimumGapDays: z._default(integer(0, 60), 3),
    /** Below this outstanding amount (major units, per currency or `default`) nothing is sent. */
    minimumAmount: z._default(z.record(z.string(), majorAmount), { default: '0' }),
    stages: z.array(stageSchema).check(z.minLength(1)),
    company: z.strictObject({
      name: text(1),
      /** Where replies go (`Reply-To`) and whom the customer writes to. */
      contactEmail: z.email(),
      /** A number the customer can call; the final stage needs one. */
      contactPhone: z.optional(text(3)),
      /**
       * The payment terms restated in every reminder, one whole sentence per template language
       * (`{"en": "Our terms are 30 days net."}`); a language left out falls back to `en`'s sentence
       * only when the email itself is in English, so no email mixes two languages.
       */
      paymentTerms: z.optional(z.record(language, text(3))),
      bankTransfer: z.object({
        accountName: text(1),
        iban: text(8),
        bic: z.optional(text(8)),
      }),
    }),
    /** The person a hand-off goes to; `phone` is the number their call to the customer comes from. */
    collections: z.strictObject({ name: text(1), email: z.email(), phone: z.optional(text(3)) }),
    answers: z._default(answerPolicySchema, { ...ANSWER_POLICY_DEFAULTS }),
    statutoryInterest: z._default(statutoryInterestSchema, { claimIn: [] }),
  })
  .check(
    z.superRefine((policy, ctx) => {
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
      // The final notice tells the customer which number will call and which one they can call.
      if (handOffs.length > 0 && !policy.collections.phone) {
        ctx.addIssue({
          code: 'custom',
          path: ['collections', 'phone'],
          message: 'a hand-off stage needs the number the call will come from',
        });
      }
      if (handOffs.length > 0 && !policy.company.contactPhone) {
        ctx.addIssue({
          code: 'custom',
          path: ['company', 'contactPhone'],
          message: 'a hand-off stage needs a number the customer can call',
        });
      }
      policy.stages.forEach((stage, index) => {
        // A firm or final word is only ever true of an invoice that is already overdue.
        if (stage.tone !== 'friendly' && stage.offsetDays < 1) {
          ctx.addIssue({
            code: 'custom',
            path: ['stages', index, 'offsetDays'],
            message: `a ${stage.tone} stage must come after the due date (offsetDays 1 or more)`,
          });
        }
      });
    }),
  )
  .check(
    z.superRefine((policy, ctx) => {
      const { claimIn, fromStage } = policy.statutoryInterest;
      if (claimIn.length === 0) return;
      const stage = policy.stages.find((candidate) => candidate.name === fromStage);
      if (!stage || stage.offsetDays < 1) {
        ctx.addIssue({
          code: 'custom',
          path: ['statutoryInterest', 'fromStage'],
          message:
            'name the overdue stage (offsetDays 1 or more) whose reminder first claims statutory interest',
        });
      }
    }),
  );

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
