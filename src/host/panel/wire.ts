// What the panel's messages carry over webview.postMessage. VS Code sends the typed arrays of a
// message as binary: its serializer (extHostWebviewMessaging.ts) collects the distinct ArrayBuffers
// the message's views refer to and passes each as one argument of an RPC call,
// `$postMessage(handle, json, ...buffers)`. That RPC writes its argument count in one byte
// (rpcProtocol.ts, writeMixedArray: `writeUInt8(arr.length)`), so a message referring to more than
// 253 buffers arrives with the count wrapped and its columns empty or cut short. A run's columns
// are therefore views of one ArrayBuffer (src/host/panel/aggregate.ts), and a message must stay
// within WIRE_BUFFER_LIMIT buffers; a Compare 'show' of every variant takes two per run.

/** Distinct ArrayBuffers a message may refer to (VS Code's limit is 253; the rest is headroom). */
export const WIRE_BUFFER_LIMIT = 128;

/** The distinct ArrayBuffers a message's typed arrays view, as VS Code's serializer collects them. */
export function wireBuffers(message: unknown): Set<ArrayBufferLike> {
  const found = new Set<ArrayBufferLike>();
  const visit = (v: unknown): void => {
    if (ArrayBuffer.isView(v)) found.add(v.buffer);
    else if (v instanceof ArrayBuffer) found.add(v);
    else if (Array.isArray(v)) for (const x of v) visit(x);
    else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) visit(x);
  };
  visit(message);
  return found;
}
