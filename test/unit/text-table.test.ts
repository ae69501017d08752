import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { textTable } from '../../functions/shared/domain/report/text.ts';

describe('Text tables', () => {
  it('align columns after names in wide characters, as a terminal shows them', () => {
    const lines = textTable(
      [{ heading: 'Customer' }, { heading: 'Outstanding', align: 'right' }],
      [
        ['株式会社サクラ', '¥250,000'],
        ['Acme Trading', '€1,234.50'],
        ['Café Müller', '€99.00'],
      ],
    );

    // Every line ends its first column at the same terminal column, so the amounts line up.
    const amountEnds = lines.map((line) => stringWidth(line));
    expect(new Set(amountEnds).size).toBe(1);
    expect(lines[1]).toBe('株式会社サクラ     ¥250,000');
  });
});
