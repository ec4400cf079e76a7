#pragma once
// Data: MNIST IDX and CSV readers, an in-memory supervised dataset, and a mini-batch loader.
#include "nn/csv.hpp"
#include "nn/data_loader.hpp"
#include "nn/dataset.hpp"
#include "nn/labels.hpp"
#include "nn/mnist.hpp"
