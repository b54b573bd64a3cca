import * as assert from 'node:assert/strict';
import { niceStep } from '../../src/webview/ticks';

describe('axis tick steps', () => {
  it('picks 1, 2 or 5 × 10^k giving at most about the asked number of ticks', () => {
    assert.equal(niceStep(9999, 11), 1000);
    assert.equal(niceStep(300, 10), 50);
    assert.equal(niceStep(0.37, 6), 0.1);
    assert.equal(niceStep(4, 10), 0.5);
  });

  it('never steps below the least step: a short run gets whole epochs, not 1.5 drawn as "2" twice', () => {
    assert.equal(niceStep(4, 10, 1), 1);
    assert.equal(niceStep(1, 10, 1), 1);
    assert.equal(niceStep(30, 10, 1), 5);
  });
});
