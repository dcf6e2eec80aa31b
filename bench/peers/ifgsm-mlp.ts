/** tfjs peer of workloads/ifgsm-mlp.gd: iterative FGSM on an MLP 784-512-512-10 (batch 256) with tf.valueAndGrad. */
import * as tf from '@tensorflow/tfjs-core';
import type { TfjsPeer } from './tfjs-peer.js';

export function setup(batch = 256, lr = 0.003, eps = 0.03): TfjsPeer {
  const X = tf.randomUniform([batch, 784], 0, 1, 'float32', 1);
  const W1 = tf.mul(0.05, tf.randomNormal([784, 512], 0, 1, 'float32', 2));
  const b1 = tf.mul(0.01, tf.randomNormal([512], 0, 1, 'float32', 3));
  const W2 = tf.mul(0.05, tf.randomNormal([512, 512], 0, 1, 'float32', 4));
  const b2 = tf.mul(0.01, tf.randomNormal([512], 0, 1, 'float32', 5));
  const W3 = tf.mul(0.05, tf.randomNormal([512, 10], 0, 1, 'float32', 6));
  const b3 = tf.mul(0.01, tf.randomNormal([10], 0, 1, 'float32', 7));
  const Y = tf.softmax(tf.mul(4, tf.randomNormal([batch, 10], 0, 1, 'float32', 8)));
  let delta = tf.zeros([batch, 784]);
  const attack = (dl: tf.Tensor) => {
    const h1 = tf.relu(tf.add(tf.matMul(tf.add(X, dl), W1), b1));
    const h2 = tf.relu(tf.add(tf.matMul(h1, W2), b2));
    const logits = tf.add(tf.matMul(h2, W3), b3);
    return tf.neg(tf.mean(tf.sum(tf.mul(Y, tf.logSoftmax(logits)), 1))) as tf.Scalar;
  };
  const vg = tf.valueAndGrad(attack);
  return {
    step() {
      const next = tf.tidy(() => {
        const { value, grad } = vg(delta);
        value.dataSync();
        return tf.clipByValue(tf.add(delta, tf.mul(lr, tf.sign(grad))), -eps, eps);
      });
      delta.dispose();
      delta = next;
    },
    dispose() {
      for (const t of [X, W1, b1, W2, b2, W3, b3, Y, delta]) t.dispose();
    },
  };
}
