import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { actionsOf, statementsOfRole, synthesizedSuite } from './synth.ts';

const synthesized = synthesizedSuite();
const { logicalId } = synthesized;
const environmentOf = (construct: IConstruct) =>
  synthesized.template.toJSON().Resources[logicalId(construct)].Properties.Environment.Variables as Record<
    string,
    unknown
  >;

describe("The customers' answer page", () => {
  it('is the respond function on a public function URL, given as the RespondUrl output', () => {
    const { answers } = synthesized.stack;
    synthesized.template.hasResourceProperties('AWS::Lambda::Url', {
      AuthType: 'NONE',
      TargetFunctionArn: { 'Fn::GetAtt': [logicalId(answers.handler.function), 'Arn'] },
    });
    synthesized.template.hasOutput('RespondUrl', {
      Value: { 'Fn::GetAtt': [logicalId(answers.url), 'FunctionUrl'] },
    });
  });

  it('checks links with a generated Secrets Manager key the run signs them with, and both may read it', () => {
    const { answers, run } = synthesized.stack;
    const secretId = logicalId(answers.secret);
    const secret = synthesized.template.toJSON().Resources[secretId];
    expect(secret.Properties.GenerateSecretString).toMatchObject({ PasswordLength: 64 });
    expect(secret.Properties.SecretString).toBeUndefined();
    // `dunning run --aws` finds the key by this output, as the run function does by its environment.
    synthesized.template.hasOutput('AnswerLinkSecretArn', { Value: { Ref: secretId } });
    expect(environmentOf(answers.handler.function).DUNNING_ANSWER_LINK_SECRET_ARN).toEqual({ Ref: secretId });
    expect(environmentOf(run.handler.function)).toMatchObject({
      DUNNING_ANSWER_LINK_SECRET_ARN: { Ref: secretId },
      DUNNING_RESPOND_URL: { 'Fn::GetAtt': [logicalId(answers.url), 'FunctionUrl'] },
    });
    for (const role of [answers.handler.role, run.handler.role]) {
      const reads = statementsOfRole(synthesized.template, logicalId(role)).filter((statement) =>
        actionsOf(statement).includes('secretsmanager:GetSecretValue'),
      );
      expect(reads.map((statement) => statement.Resource)).toContainEqual({ Ref: secretId });
    }
  });

  it('sends its confirmation emails through SES like the run, on the same configuration set', () => {
    const { answers } = synthesized.stack;
    const sends = statementsOfRole(synthesized.template, logicalId(answers.handler.role)).filter(
      (statement) => actionsOf(statement).includes('ses:SendEmail'),
    );
    expect(sends).toHaveLength(1);
    const configurationSet = { Ref: logicalId(synthesized.stack.email.configurationSet) };
    expect(sends[0]?.Resource).toContainEqual({
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':ses:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          ':configuration-set/',
          configurationSet,
        ],
      ],
    });
    expect(environmentOf(answers.handler.function).DUNNING_CONFIGURATION_SET).toEqual(configurationSet);
    expect(environmentOf(synthesized.stack.run.handler.function).DUNNING_CONFIGURATION_SET).toEqual(
      configurationSet,
    );
  });
});
