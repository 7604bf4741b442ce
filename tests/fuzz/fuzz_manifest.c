/* fuzz_manifest: the manifest loader. ct_manifest_load() reads a path, so
 * each input is written to one temporary file per process (under $TMPDIR,
 * removed at exit), which is then loaded; a loaded manifest is walked
 * (contracts, repositories, sides) and freed. */
#include "fuzz.h"

#include <unistd.h>

#include "contracts/manifest.h"

static char path[4096];

static void remove_file(void)
{
	unlink(path);
}

static void make_file(void)
{
	const char *tmp = getenv("TMPDIR");
	int fd;

	snprintf(path, sizeof(path), "%s/fuzz_manifest.XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if ((fd = mkstemp(path)) < 0) {
		perror(path);
		abort();
	}
	close(fd);
	atexit(remove_file);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ct_manifest *m = NULL;
	struct ct_err err = CT_ERR_INIT;
	FILE *f;

	if (!path[0])
		make_file();
	if (!(f = fopen(path, "wb")) || fwrite(data, 1, size, f) != size ||
	    fclose(f)) {
		perror(path);
		abort();
	}
	if (ct_manifest_load(&m, path, &err))
		return 0;
	for (size_t c = 0; c < m->ncontracts; c++) {
		const char *sides[16];
		size_t n = ct_manifest_sides(m, c, sides, 16);
		if (ct_manifest_contract(m, m->contracts[c].name) < 0)
			fuzz_fail("contract \"%s\" not found by its name",
				  m->contracts[c].name);
		for (size_t s = 0; s < m->contracts[c].nsources; s++)
			if (m->contracts[c].sources[s].repo >= m->nrepos)
				fuzz_fail("a source of a repository not there");
		for (size_t k = 0; k < n; k++)
			if (!*sides[k])
				fuzz_fail("a contract with an empty side");
	}
	for (size_t r = 0; r < m->nrepos; r++)
		if (ct_manifest_repo(m, m->repos[r].name) < 0)
			fuzz_fail("repository \"%s\" not found by its name",
				  m->repos[r].name);
	ct_manifest_free(m);
	return 0;
}
