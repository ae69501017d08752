import { displayWidth, padEndTo, padStartTo } from '../text-width.ts';
import type { ReportView, ViewColumn } from './view.ts';

/** Columns padded to their widest cell as a terminal shows it (wide characters count twice), numbers right-aligned. */
export const textTable = (columns: readonly ViewColumn[], rows: readonly (readonly string[])[]): string[] => {
  const widths = columns.map((column, index) =>
    Math.max(displayWidth(column.heading), ...rows.map((row) => displayWidth(row[index] ?? ''))),
  );
  const line = (cells: readonly string[]) =>
    columns
      .map((column, index) => {
        const cell = cells[index] ?? '';
        const width = widths[index] ?? 0;
        return column.align === 'right' ? padStartTo(cell, width) : padEndTo(cell, width);
      })
      .join('  ')
      .trimEnd();
  return [line(columns.map((column) => column.heading)), ...rows.map(line)];
};

/** The report for a terminal: a heading, then each section as a table (or "none"). */
export const reportText = (view: ReportView): string => {
  const lines = [`${view.title} ${view.subtitle}`, view.periodNote];
  for (const section of view.sections) {
    lines.push('', `${section.title} (${section.rows.length})`);
    if (section.rows.length === 0) lines.push('  none');
    else lines.push(...textTable(section.columns, section.rows).map((line) => `  ${line}`));
  }
  return lines.join('\n');
};
