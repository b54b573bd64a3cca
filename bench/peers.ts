// The peers: TensorFlow.js on its cpu backend (plain JavaScript) and its wasm backend (XNNPACK,
// SIMD; single-threaded in Node). One step does the same work as our engine's: forward, loss,
// backward, SGD update, and per-layer gradient norms read back to the CPU once per step (our
// engine has its statistics on the CPU after every step).

import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { BATCHES, LEARNING_RATE, benchData, layerShapes, type BenchNet } from './networks';

export type Backend = 'cpu' | 'wasm';

let wasmReady = false;

/** Registers the wasm backend with its .wasm files loaded from node_modules (nothing is fetched). */
export async function useBackend(backend: Backend): Promise<void> {
  if (backend === 'wasm' && !wasmReady) {
    const dir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
    setWasmPaths(path.join(dir, 'dist') + path.sep);
    wasmReady = true;
  }
  const ok = await tf.setBackend(backend);
  if (!ok) throw new Error(`tfjs backend ${backend} failed to initialise`);
  await tf.ready();
}

export interface PeerModel {
  readonly backend: Backend;
  /** One training step; returns the loss (read back with the gradient norms). */
  step(): number;
  dispose(): void;
}

/** Glorot-uniform weights from a fixed seed (the peers' initial values do not affect their speed). */
function initialWeights(fanIn: number, units: number, seed: number): Float32Array {
  const r = Math.sqrt(6 / (fanIn + units));
  let s = seed >>> 0 || 1;
  const w = new Float32Array(fanIn * units);
  for (let i = 0; i < w.length; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    w[i] = (s / 2 ** 31 - 1) * r;
  }
  return w;
}

/** Builds the network's variables on the current backend (call `useBackend` first). */
export function peerModel(n: BenchNet, backend: Backend): PeerModel {
  const shapes = layerShapes(n);
  const Ws = shapes.map(([i, o], k) => tf.variable(tf.tensor2d(initialWeights(i, o, 1234 + k), [i, o]), true, `W${k}_${backend}_${n.hidden}_${n.width}`));
  const bs = shapes.map(([, o], k) => tf.variable(tf.zeros([o]), true, `b${k}_${backend}_${n.hidden}_${n.width}`));
  const { x, targets } = benchData(n);
  const Xs: tf.Tensor2D[] = [];
  const Ts: tf.Tensor2D[] = [];
  for (let b = 0; b < BATCHES; b++) {
    Xs.push(tf.tensor2d(Float32Array.from(x.subarray(b * n.batch * n.input, (b + 1) * n.batch * n.input)), [n.batch, n.input]));
    Ts.push(tf.tensor2d(Float32Array.from(targets.subarray(b * n.batch * n.outputs, (b + 1) * n.batch * n.outputs)), [n.batch, n.outputs]));
  }
  let batch = 0;
  const vars = [...Ws, ...bs];
  const optimizer = tf.train.sgd(LEARNING_RATE);
  const act = (z: tf.Tensor): tf.Tensor => (n.activation === 'tanh' ? tf.tanh(z) : n.activation === 'relu' ? tf.relu(z) : tf.sigmoid(z));

  const loss = (): tf.Scalar => {
    const T = Ts[batch];
    let h: tf.Tensor = Xs[batch];
    for (let k = 0; k < shapes.length; k++) {
      const z = tf.add(tf.matMul(h as tf.Tensor2D, Ws[k]), bs[k]);
      h = k < shapes.length - 1 ? act(z) : z;
    }
    // Binary cross-entropy on the logits, in the overflow-safe form the engine uses.
    const z = h;
    return tf.mean(tf.add(tf.sub(tf.relu(z), tf.mul(z, T)), tf.log1p(tf.exp(tf.neg(tf.abs(z)))))) as tf.Scalar;
  };

  return {
    backend,
    step(): number {
      const out = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(loss, vars);
        const norms = Ws.map((W) => tf.norm(grads[W.name]));
        optimizer.applyGradients(grads);
        return tf.stack([value, ...norms]);
      });
      const values = out.dataSync();
      out.dispose();
      batch = (batch + 1) % BATCHES;
      return values[0];
    },
    dispose(): void {
      tf.dispose([...vars, ...Xs, ...Ts]);
      optimizer.dispose();
    },
  };
}
