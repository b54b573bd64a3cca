// The textbook bound on the vanishing gradient: sigmoid′ ≤ 1/4, so k sigmoid derivatives on the way
// from the output to a layer shrink its error by up to (1/4)^k. A residual layer outputs x + f(ẑ):
// its identity carries the error past its own sigmoid′ (He et al. 2016), so only the sigmoid layers
// that are not residual multiply every path, and only they count.

import type { LayerSpec } from './types';

export interface SigmoidBound {
  /** Sigmoid derivatives on every path: layer `from`'s own and those of the non-residual hidden layers above it. */
  readonly count: number;
  /** Residual sigmoid hidden layers above `from`, which the identity path bypasses. */
  readonly bypassed: number;
}

/** The bound for layer `from`'s ∂L/∂z; the output layer (last) is not counted, as its gradient is the reference. */
export function sigmoidBound(layers: readonly LayerSpec[], from: number): SigmoidBound {
  const above = layers.slice(from + 1, layers.length - 1).filter((l) => l.activation.kind === 'sigmoid');
  const own = layers[from].activation.kind === 'sigmoid' ? 1 : 0;
  const bypassed = above.filter((l) => l.residual).length;
  return { count: own + above.length - bypassed, bypassed };
}

/** "(the 7 residual ones are not counted: their identity path bypasses sigmoid′)", or nothing. */
export function bypassNote(b: SigmoidBound): string {
  if (b.bypassed === 0) return '';
  return ` (the ${b.bypassed} residual sigmoid layer${b.bypassed === 1 ? '' : 's'} above ${b.bypassed === 1 ? 'is' : 'are'} not counted: the identity path bypasses ${b.bypassed === 1 ? 'its' : 'their'} sigmoid′)`;
}
