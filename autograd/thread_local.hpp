#pragma once
// For thread-locals read on every operation: the initial-exec model spares a __tls_get_addr
// call per access. tapegrad is linked, not loaded with dlopen, so the model is valid.
#define TG_THREAD_LOCAL thread_local __attribute__((tls_model("initial-exec")))
