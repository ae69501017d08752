import { RemovalPolicy } from 'aws-cdk-lib';
import {
  type Attribute,
  AttributeType,
  BillingMode,
  ProjectionType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import type { KeyDefinition, TableDefinition } from '../../functions/shared/tables.ts';

const attribute = (key: KeyDefinition): Attribute => ({
  name: key.name,
  type: key.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER,
});

const projection = { ALL: ProjectionType.ALL, KEYS_ONLY: ProjectionType.KEYS_ONLY } as const;

export interface DataProps {
  /** The shared definition `dunning dev` also creates locally; keys are never restated here. */
  readonly definition: TableDefinition;
}

/** The ledger: every invoice, payment, reminder and claim of the product, in one table. */
export class Data extends Construct {
  readonly table: Table;
  readonly definition: TableDefinition;

  constructor(scope: Construct, id: string, props: DataProps) {
    super(scope, id);
    const { definition } = props;
    this.definition = definition;
    this.table = new Table(this, definition.id, {
      partitionKey: attribute(definition.partitionKey),
      sortKey: attribute(definition.sortKey),
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: definition.timeToLiveAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      // AWS-managed key: encrypted with an auditable KMS key, and no key policy to keep in step with grants.
      encryption: TableEncryption.AWS_MANAGED,
      // Receivables are financial records: a stack deletion must never take them with it.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of definition.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        sortKey: attribute(index.sortKey),
        projectionType: projection[index.projection],
      });
    }
  }

  /** The table's index ARNs, one per shared index definition (a grant never uses `index/*`). */
  indexArns(): string[] {
    return this.definition.globalSecondaryIndexes.map(
      (index) => `${this.table.tableArn}/index/${index.indexName}`,
    );
  }
}
