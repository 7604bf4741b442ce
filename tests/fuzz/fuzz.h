/*
 * fuzz.h - what the libFuzzer targets of tests/fuzz share: the entry point's
 * prototype and splitting one input into several parts.
 *
 * Each target calls the library on whatever bytes it is given and frees
 * everything it made (LeakSanitizer is on); an oracle that fails calls
 * fuzz_fail(), which aborts so libFuzzer keeps the input.
 */
#ifndef CT_FUZZ_H
#define CT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_part {
	const char *data;
	size_t len;
};

/* Splits data[0..size) at each `sep` byte into at most `max` parts (the
 * last takes the rest, separators included); returns how many. Parts are
 * borrowed from `data`. */
static inline size_t fuzz_split(struct fuzz_part *parts, size_t max,
				const uint8_t *data, size_t size, uint8_t sep)
{
	size_t n = 0, start = 0;

	for (size_t i = 0; i < size && n + 1 < max; i++) {
		if (data[i] != sep)
			continue;
		parts[n].data = (const char *)data + start;
		parts[n].len = i - start;
		n++;
		start = i + 1;
	}
	parts[n].data = (const char *)data + start;
	parts[n].len = size - start;
	return n + 1;
}

/* A broken promise of the library: abort, so the input is kept. */
#define fuzz_fail(...)                                                         \
	do {                                                                   \
		fprintf(stderr, "fuzz: " __VA_ARGS__);                         \
		fputc('\n', stderr);                                           \
		abort();                                                       \
	} while (0)

#endif
