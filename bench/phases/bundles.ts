import { measureBundles } from '../bundles.ts';
import { figure, note, printFigure } from '../figures.ts';

/** Each Lambda's bundle size and cold import time, built as CDK builds it. */
export const benchBundles = async (): Promise<void> => {
  note('building the Lambda bundles as CDK does, and timing their cold import');
  for (const bundle of await measureBundles()) {
    printFigure(
      figure(`bundle.${bundle.name}_kb`, bundle.bytes / 1024, 'KB', { max: 600 }, { bytes: bundle.bytes }),
    );
    printFigure(
      figure(
        `cold_import_ms.${bundle.name}`,
        bundle.coldImportMs,
        'ms',
        { max: 200 },
        {
          samples: bundle.samplesMs.map((ms) => Math.round(ms)),
        },
      ),
    );
  }
};
