declare module 'dynalite' {
  import type { Server } from 'node:http';

  interface DynaliteOptions {
    path?: string | undefined;
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
    ssl?: boolean;
  }
  export default function dynalite(options?: DynaliteOptions): Server;
}

// date-holidays-parser ships types but does not name them in its package.json: the part we call.
declare module 'date-holidays-parser' {
  interface Holiday {
    /** Local start, `YYYY-MM-DD HH:mm:ss`. */
    readonly date: string;
    readonly start: Date;
    readonly end: Date;
    readonly type: string;
  }
  export default class Holidays {
    constructor(data: object, country: string, options?: { readonly types?: readonly string[] });
    getHolidays(year?: number): Holiday[];
  }
}
