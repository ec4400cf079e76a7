#pragma once
// Subnormal numbers (below ~1.2e-38 in float) cost x86 CPUs a microcode assist per operation,
// 10-100x a normal one. A network whose softmax saturates sends gradients that small through
// its whole backward pass. Flushing them to zero trades that cost for a loss of precision no
// training notices; TensorFlow (Keras) flushes by default, PyTorch offers
// torch.set_flush_denormal.

namespace tg {

// Sets whether floating-point arithmetic on the calling thread flushes subnormal results to zero
// and reads subnormal inputs as zero (x86 FTZ and DAZ). Returns false, changing nothing, where
// the CPU has no such mode. Threads that already exist, such as OpenBLAS's workers, keep theirs;
// threads created afterwards inherit the setting.
bool set_flush_denormal(bool on);

// Whether the calling thread flushes subnormals.
bool flush_denormal();

}  // namespace tg
