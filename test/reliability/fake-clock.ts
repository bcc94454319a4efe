/**
 * Loaded with `node --import` into a child process of the reliability runs: shifts the wall clock
 * (Date.now() and `new Date()`) by LF_FAKE_CLOCK_OFFSET_MS, as a clock set back or forward would,
 * while the monotonic clock (performance.now(), timers) runs on as before.
 */
const offset = Number(process.env.LF_FAKE_CLOCK_OFFSET_MS ?? 0);

if (offset) {
  const RealDate = Date;
  class ShiftedDate extends RealDate {
    constructor(...args: unknown[]) {
      // At run time every argument is passed on (new Date(y, m, d…) included); typed as the one-argument form.
      if (args.length === 0) super(RealDate.now() + offset);
      else super(...(args as [string | number | Date]));
    }

    static override now(): number {
      return RealDate.now() + offset;
    }
  }
  globalThis.Date = ShiftedDate as DateConstructor;
}

export {};
