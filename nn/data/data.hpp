#pragma once
// Data: MNIST IDX and CSV readers, an in-memory supervised dataset, and a mini-batch loader.
#include "nn/data/csv.hpp"
#include "nn/data/data_loader.hpp"
#include "nn/data/dataset.hpp"
#include "nn/data/mnist.hpp"
#include "nn/labels.hpp"
