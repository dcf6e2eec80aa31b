/** tfjs peer of workloads/mirror-simplex-1m.gd: exponentiated gradient written with tf.valueAndGrad and plain ops. */
import * as tf from '@tensorflow/tfjs-core';
import type { TfjsPeer } from './tfjs-peer.js';

export function setup(n = 1_000_000, lr = 1.0): TfjsPeer {
  const c = tf.randomUniform([n], 0, 1, 'float32', 3);
  let p = tf.fill([n], 1 / n);
  const f = (q: tf.Tensor) => tf.add(tf.sum(tf.mul(c, q)), tf.mul(0.01, tf.sum(tf.mul(q, tf.log(q))))) as tf.Scalar;
  const vg = tf.valueAndGrad(f);
  return {
    step() {
      const next = tf.tidy(() => {
        const { value, grad } = vg(p);
        value.dataSync();
        const q = tf.mul(p, tf.exp(tf.mul(-lr, grad)));
        return tf.div(q, tf.sum(q));
      });
      p.dispose();
      p = next;
    },
    dispose() {
      c.dispose();
      p.dispose();
    },
  };
}
