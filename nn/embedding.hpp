#pragma once
// Embedding: a lookup table of learned vectors, one row per index.
//   tg::nn::Embedding embed(10000, 64);
//   embed(tokens);  // tokens (B,T) of whole numbers -> (B,T,64)
#include <cstddef>

#include "autograd/random.hpp"
#include "nn/default_generator.hpp"
#include "nn/labels.hpp"
#include "nn/module.hpp"

namespace tg::nn {

// The rows of weight (num, dim) at `indices`: (indices.size(), dim). The weight's gradient adds
// each row's gradient into the row it came from (an index used twice gets both).
template <class T>
BasicTensor<T> embedding(const BasicTensor<T>& weight, const Labels& indices);

template <class T>
class BasicEmbedding : public BasicModule<T> {
 public:
  // The weight is drawn from N(0, 1), as PyTorch does.
  BasicEmbedding(std::size_t num_embeddings, std::size_t embedding_dim, Generator& gen = default_generator());

  // indices: whole numbers in [0, num_embeddings) stored as T, of any shape S -> (S..., dim).
  BasicTensor<T> forward(const BasicTensor<T>& indices) override;
  std::string name() const override { return "Embedding"; }
  std::string describe() const override;  // "Embedding(10000, 64)"
  std::size_t num_embeddings() const { return weight.shape()[0]; }
  std::size_t embedding_dim() const { return weight.shape()[1]; }

  BasicTensor<T> weight;  // (num_embeddings, embedding_dim)
};

using Embedding = BasicEmbedding<float>;

extern template class BasicEmbedding<float>;
extern template class BasicEmbedding<double>;

}  // namespace tg::nn
