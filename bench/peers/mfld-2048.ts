/** tfjs peer of workloads/mfld-2048.gd: MFLD (Wasserstein gradient step m·∇F plus Langevin noise) with tf.valueAndGrad. */
import * as tf from '@tensorflow/tfjs-core';
import type { TfjsPeer } from './tfjs-peer.js';

export function setup(m = 2048, d = 16, n = 512, lr = 0.05, lam = 1e-3): TfjsPeer {
  const X = tf.randomNormal([n, d - 1], 0, 1, 'float32', 0);
  const y = tf.reshape(tf.tanh(tf.sub(tf.slice(X, [0, 0], [n, 1]), tf.slice(X, [0, 1], [n, 1]))), [n]);
  let theta = tf.randomNormal([m, d], 0, 1, 'float32', 1);
  const F = (th: tf.Tensor) => {
    const W = tf.slice(th, [0, 0], [m, d - 1]);
    const a = tf.reshape(tf.slice(th, [0, d - 1], [m, 1]), [m]);
    const f = tf.mean(tf.mul(tf.tanh(tf.matMul(X, W, false, true)), a), 1);
    return tf.add(tf.mul(0.5, tf.mean(tf.square(tf.sub(f, y)))), tf.mul(1e-4, tf.mean(tf.sum(tf.square(th), 1)))) as tf.Scalar;
  };
  const vg = tf.valueAndGrad(F);
  const noise = Math.sqrt(2 * lr * lam);
  return {
    step() {
      const next = tf.tidy(() => {
        const { value, grad } = vg(theta);
        value.dataSync();
        return tf.add(tf.sub(theta, tf.mul(lr * m, grad)), tf.mul(noise, tf.randomNormal([m, d])));
      });
      theta.dispose();
      theta = next;
    },
    dispose() {
      X.dispose();
      y.dispose();
      theta.dispose();
    },
  };
}
