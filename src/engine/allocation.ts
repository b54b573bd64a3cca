// An allocation that fails (a typed array, WebAssembly.Memory.grow, an array) throws a RangeError
// whose message says so; a run that meets one ends with `stopped: "outOfMemory"` and the epochs so
// far, never a stack trace. The worker's host reads the same messages from a dead worker.

const OUT_OF_MEMORY = /Array buffer allocation failed|Invalid typed array length|Invalid array length|WebAssembly\.Memory|Maximum call stack|out of memory/i;

/** Whether an error message is one of an allocation that failed. */
export function isOutOfMemoryMessage(message: string): boolean {
  return OUT_OF_MEMORY.test(message);
}

/** Whether a thrown value is an allocation that failed (not a bug to report with its stack). */
export function isAllocationFailure(e: unknown): e is RangeError {
  return e instanceof RangeError && isOutOfMemoryMessage(e.message);
}
