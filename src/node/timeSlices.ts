// Long work on a thread that must stay responsive (the extension host's), cut into slices: a Pause
// that lets the event loop run once the current slice has taken `sliceMs`.

import type { Pause } from '../engine/index';

export function timeSlices(sliceMs = 8): Pause {
  let start = performance.now();
  return () => {
    if (performance.now() - start < sliceMs) return undefined;
    return new Promise((resolve) =>
      setImmediate(() => {
        start = performance.now();
        resolve();
      }),
    );
  };
}
