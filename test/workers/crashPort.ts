// Loaded before the real training worker in test/workers/crashWorker.ts: wraps the worker's port so
// that, once it posts an epoch at or beyond `workerData.crashAtEpoch`, the thread fails the way
// `workerData.how` says: 'throw' (an exception inside training, which the worker reports) or 'exit'
// (the thread dies without a word, as a native crash would).
import { parentPort, workerData } from 'node:worker_threads';

interface CrashData {
  readonly crashAtEpoch: number;
  readonly how: 'throw' | 'exit';
}

const data = workerData as Partial<CrashData> | undefined;
const port = parentPort;
if (port && data && typeof data.crashAtEpoch === 'number') {
  const at = data.crashAtEpoch;
  const post = port.postMessage.bind(port);
  port.postMessage = (msg: { type?: string; records?: readonly { epoch: number }[] }) => {
    post(msg);
    if (msg.type === 'epochs' && msg.records?.some((r) => r.epoch >= at)) {
      if (data.how === 'exit') process.exit(70);
      throw new Error(`Test crash at epoch ${at}.`);
    }
  };
}
