/** tfjs peer of workloads/interaction-4096.gd: the pairwise interaction energy by broadcasting, Wasserstein step m·∇F. */
import * as tf from '@tensorflow/tfjs-core';
import type { TfjsPeer } from './tfjs-peer.js';

export function setup(m = 4096, lr = 0.01): TfjsPeer {
  let theta = tf.mul(0.25, tf.randomNormal([m, 2], 0, 1, 'float32', 3));
  const F = (th: tf.Tensor) => {
    const diff = tf.sub(tf.expandDims(th, 1), tf.expandDims(th, 0)); // [m, m, 2]
    const r2 = tf.sum(tf.square(diff), 2);
    return tf.mul(0.5, tf.mean(tf.sub(tf.div(tf.square(r2), 4), tf.div(r2, 2)))) as tf.Scalar;
  };
  const vg = tf.valueAndGrad(F);
  return {
    step() {
      const next = tf.tidy(() => {
        const { value, grad } = vg(theta);
        value.dataSync();
        return tf.sub(theta, tf.mul(lr * m, grad));
      });
      theta.dispose();
      theta = next;
    },
    dispose() {
      theta.dispose();
    },
  };
}
