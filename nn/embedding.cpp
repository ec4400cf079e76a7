#include "nn/embedding.hpp"

#include <cmath>

#include "autograd/factory.hpp"
#include "nn/init.hpp"
#include "ops/gather.hpp"
#include "ops/shape.hpp"

namespace tg::nn {

template <class T>
BasicTensor<T> embedding(const BasicTensor<T>& weight, const Labels& indices) {
  const Shape w = weight.shape();
  if (w.size() != 2) throw Error("embedding: the weight must be (num, dim), got shape " + shape_str(w));
  for (std::size_t i = 0; i < indices.size(); ++i)
    if (indices[i] >= w[0])
      throw Error("embedding: index " + std::to_string(indices[i]) + " at position " + std::to_string(i) +
                  " is out of range for a weight of shape " + shape_str(w));
  return gather(weight, std::make_shared<const Labels>(indices), {indices.size(), w[1]}, w[1]);
}

template BasicTensor<float> embedding(const BasicTensor<float>&, const Labels&);
template BasicTensor<double> embedding(const BasicTensor<double>&, const Labels&);

template <class T>
BasicEmbedding<T>::BasicEmbedding(std::size_t num_embeddings, std::size_t embedding_dim, Generator& gen) {
  weight = zeros<T>({num_embeddings, embedding_dim});
  this->register_parameter("weight", &BasicEmbedding::weight);
  init::normal_(weight, 0.0, 1.0, gen);
}

template <class T>
BasicTensor<T> BasicEmbedding<T>::forward(const BasicTensor<T>& indices) {
  Labels rows;
  rows.reserve(indices.size());
  for (std::size_t i = 0; i < indices.size(); ++i) {
    const T v = indices.value().data()[i];
    if (!(v >= T(0)) || v != std::floor(v))
      throw Error("Embedding: index " + std::to_string(v) + " at flat position " + std::to_string(i) +
                  " is not a whole number >= 0");
    rows.push_back(static_cast<std::size_t>(v));
  }
  Shape shape = indices.shape();
  shape.push_back(embedding_dim());
  return reshape(embedding(weight, rows), shape);
}

template <class T>
std::string BasicEmbedding<T>::describe() const {
  return "Embedding(" + std::to_string(num_embeddings()) + ", " + std::to_string(embedding_dim()) + ")";
}

template class BasicEmbedding<float>;
template class BasicEmbedding<double>;

}  // namespace tg::nn
