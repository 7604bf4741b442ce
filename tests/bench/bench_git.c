/* bench_git URL PATH... : times, through the library, opening a warm cached
 * remote with a fetch that brings nothing new, and reading the given files
 * at one ref from the cache (offline). Prints milliseconds. Built by CMake
 * as a benchmark helper, not a test. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "contracts/source.h"

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	struct ct_source_opts o;
	struct ct_source *s = NULL;
	struct ct_err err = CT_ERR_INIT;
	struct ct_buf buf = CT_BUF_INIT;
	double t0, fetch_ms, read_ms, best_fetch = 1e9, best_read = 1e9;

	if (argc < 3) {
		fprintf(stderr, "usage: bench_git URL PATH...\n");
		return 2;
	}
	for (int round = 0; round < 5; round++) {
		memset(&o, 0, sizeof(o));
		o.quiet = 1;
		t0 = now_ms();
		if (ct_source_open(&s, argv[1], &o, &err)) {
			fprintf(stderr, "bench_git: %s\n", err.msg);
			return 1;
		}
		fetch_ms = now_ms() - t0;
		ct_source_free(s);
		o.offline = 1;
		if (ct_source_open(&s, argv[1], &o, &err)) {
			fprintf(stderr, "bench_git: %s\n", err.msg);
			return 1;
		}
		t0 = now_ms();
		for (int i = 2; i < argc; i++) {
			ct_buf_reset(&buf);
			if (ct_source_read(s, argv[i], &buf, &err)) {
				fprintf(stderr, "bench_git: %s\n", err.msg);
				return 1;
			}
		}
		read_ms = now_ms() - t0;
		ct_source_free(s);
		if (fetch_ms < best_fetch)
			best_fetch = fetch_ms;
		if (read_ms < best_read)
			best_read = read_ms;
	}
	printf("fetch_ms %.2f\nread_ms %.3f\n", best_fetch, best_read);
	ct_buf_release(&buf);
	return 0;
}
