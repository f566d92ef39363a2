//go:build ocr && cgo

package ocr

/*
#cgo LDFLAGS: -ldl
#define _GNU_SOURCE
#include <dlfcn.h>

// Tesseract's LSTM asks OpenMP for 4 threads per layer (a num_threads
// clause). On 2 cores that is about 4× slower than one thread. The
// documented cure, OMP_THREAD_LIMIT=1, is read by libgomp once, when the
// library is loaded, before any Go code runs: os.Setenv cannot reach it.
// Setting the calling thread's max-active-levels to 0 makes every parallel
// region it starts run on that thread alone. The symbol is looked up at
// run time, so a Tesseract built without OpenMP needs nothing.
static void smartap_limit_omp_threads(void) {
	void (*set_levels)(int) = (void (*)(int))dlsym(RTLD_DEFAULT, "omp_set_max_active_levels");
	if (set_levels != NULL) {
		set_levels(0);
	}
}
*/
import "C"

// limitThreads makes Tesseract's OpenMP regions started from this OS thread
// single-threaded (≈ 0.8 s instead of 1.7–4.7 s per 300-dpi page on 2 cores,
// measured). The setting belongs to the thread, so the caller holds
// runtime.LockOSThread from here until Tesseract returns.
func limitThreads() { C.smartap_limit_omp_threads() }
