import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

/**
 * zod's small API for the code a Lambda bundles: `zod/mini` tree-shakes to a few tens of KB where the
 * full API is ~440 KB. It loads no locale, so every message would read "Invalid input"; the English
 * one is loaded here, giving the same messages as the full API (which loads it on import).
 *
 * Import it as a namespace, `import * as z from '.../validation.ts'`, never `import { z }`: esbuild
 * drops what a namespace import leaves unused, but keeps all of zod behind a re-exported object.
 */
config(en());

export * from 'zod/mini';
