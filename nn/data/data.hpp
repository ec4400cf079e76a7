#pragma once
// Data: MNIST IDX and CSV readers, images and image folders, hand-made features, an in-memory
// supervised dataset and a sequential one, and mini-batch loaders.
#include "nn/data/colour.hpp"
#include "nn/data/csv.hpp"
#include "nn/data/data_loader.hpp"
#include "nn/data/dataset.hpp"
#include "nn/data/features.hpp"
#include "nn/data/image.hpp"
#include "nn/data/image_folder.hpp"
#include "nn/data/image_loader.hpp"
#include "nn/data/mnist.hpp"
#include "nn/data/resize.hpp"
#include "nn/data/sequential_dataset.hpp"
#include "nn/labels.hpp"
