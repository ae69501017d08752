import { describe, expect, it } from 'vitest';
import type {
  ImportLedger,
  ImportPart,
  WaitingPayments,
} from '../../functions/shared/domain/import/ports.ts';
import {
  applyCommittedImport,
  completePendingImports,
} from '../../functions/shared/domain/import/roll-forward.ts';

/** A ledger that records the order of the steps; `failing` imports fail their first applyStaged. */
const recordingPorts = (pending: string[], failing: ReadonlySet<string> = new Set()) => {
  const steps: string[] = [];
  const ledger: ImportLedger = {
    begin: async () => undefined,
    stage: async () => undefined,
    commit: async () => undefined,
    applyStaged: async (importId: string, part: ImportPart, onApplied?: (count: number) => void) => {
      if (failing.has(importId)) throw new Error(`store refused ${importId}`);
      steps.push(`apply ${importId} ${part}${onApplied ? ' (progress)' : ''}`);
      onApplied?.(part === 'INVOICE' ? 3 : 99);
    },
    markApplied: async (importId) => {
      steps.push(`applied ${importId}`);
    },
    pendingImportIds: async () => pending,
    recordRollForwardFailure: async (importId, reason) => {
      steps.push(`failed ${importId}: ${reason}`);
    },
  };
  const payments: WaitingPayments = {
    waitingInvoiceIds: async () => ['INV-9', 'INV-9', 'INV-7'],
    applyWaitingFor: async (invoiceId) => {
      steps.push(`payments for ${invoiceId}`);
    },
  };
  return { steps, ports: { ledger, payments } };
};

describe('Roll-forward of a committed import', () => {
  it('applies customers, then invoices, then the waiting payments once each, and marks it applied last', async () => {
    const { steps, ports } = recordingPorts([]);
    const heard: number[] = [];

    await applyCommittedImport(ports, 'imp-1', (count) => heard.push(count));

    expect(steps).toEqual([
      'apply imp-1 CUSTOMER',
      'apply imp-1 INVOICE (progress)',
      'payments for INV-9',
      'payments for INV-7',
      'applied imp-1',
    ]);
    // Progress counts invoices only: the customers' pages are not the operator's figure.
    expect(heard).toEqual([3]);
  });

  it('completes every pending import; one that fails is recorded with its reason and never marked applied', async () => {
    const { steps, ports } = recordingPorts(['imp-a', 'imp-b', 'imp-c'], new Set(['imp-b']));

    const outcome = await completePendingImports(ports);

    expect(outcome.completed).toEqual(['imp-a', 'imp-c']);
    expect(outcome.failed.map(({ importId, reason }) => ({ importId, reason }))).toEqual([
      { importId: 'imp-b', reason: 'Error: store refused imp-b' },
    ]);
    expect(outcome.failed[0]?.error).toBeInstanceOf(Error);
    expect(steps).toContain('failed imp-b: Error: store refused imp-b');
    expect(steps).not.toContain('applied imp-b');
    expect(steps.filter((step) => step.startsWith('applied'))).toEqual(['applied imp-a', 'applied imp-c']);
  });
});
