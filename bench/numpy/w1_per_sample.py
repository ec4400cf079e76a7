#!/usr/bin/python3
"""W1 per sample in numpy, as the seed's MNIST tutorial ("Make Your Own Neural Network") trains:
784-100-10, sigmoid hidden and output layers, no biases, weights normal with std 1/sqrt(inputs),
inputs scaled into [0.01, 1], targets 0.01 / 0.99, hand-written backpropagation of SSE/2, lr 0.1,
one sample at a time, float64. The tutorial's sigmoid is scipy's expit; here it is written in
numpy. Prints a RESULT line: microseconds per sample, then the test accuracy."""
import argparse
import os
import time

from peak import peak_mib


class NeuralNetwork:
    def __init__(self, np, inputs, hidden, outputs, lr):
        self.np = np
        self.wih = np.random.normal(0.0, inputs ** -0.5, (hidden, inputs))
        self.who = np.random.normal(0.0, hidden ** -0.5, (outputs, hidden))
        self.lr = lr

    def sigmoid(self, x):
        return 1.0 / (1.0 + self.np.exp(-x))

    def train(self, inputs_list, targets_list):
        np = self.np
        inputs = np.array(inputs_list, ndmin=2).T
        targets = np.array(targets_list, ndmin=2).T
        hidden_outputs = self.sigmoid(np.dot(self.wih, inputs))
        final_outputs = self.sigmoid(np.dot(self.who, hidden_outputs))
        output_errors = targets - final_outputs
        hidden_errors = np.dot(self.who.T, output_errors)
        self.who += self.lr * np.dot(output_errors * final_outputs * (1.0 - final_outputs), hidden_outputs.T)
        self.wih += self.lr * np.dot(hidden_errors * hidden_outputs * (1.0 - hidden_outputs), inputs.T)

    def query(self, inputs):  # a batch of rows at once
        return self.sigmoid(self.who @ self.sigmoid(self.wih @ inputs.T)).T


def read_idx(np, path, header_words):
    with open(path, "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=4 * header_words)


def load(np, data, split):
    images = read_idx(np, f"{data}/{split}-images-idx3-ubyte", 4).reshape(-1, 784)
    labels = read_idx(np, f"{data}/{split}-labels-idx1-ubyte", 2)
    return images / 255.0 * 0.99 + 0.01, labels


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--data", default="data/mnist")
    parser.add_argument("--samples", type=int, default=10000)
    args = parser.parse_args()
    os.environ["OPENBLAS_NUM_THREADS"] = str(args.threads)  # read when numpy loads OpenBLAS
    import numpy as np

    train_images, train_labels = load(np, args.data, "train")
    test_images, test_labels = load(np, args.data, "t10k")
    samples = min(args.samples, len(train_labels))
    targets = np.full((samples, 10), 0.01)
    targets[np.arange(samples), train_labels[:samples]] = 0.99

    np.random.seed(1)
    net = NeuralNetwork(np, 784, 100, 10, 0.1)
    start = time.perf_counter()
    for i in range(samples):
        net.train(train_images[i], targets[i])
    seconds = time.perf_counter() - start
    accuracy = np.mean(np.argmax(net.query(test_images), axis=1) == test_labels)
    print(f"RESULT name=W1_per_sample_tutorial impl=numpy threads={args.threads} "
          f"us_per_sample={seconds / samples * 1e6:.6g} test_accuracy={accuracy:.6g} peak_mib={peak_mib():.6g}", flush=True)


if __name__ == "__main__":
    main()
