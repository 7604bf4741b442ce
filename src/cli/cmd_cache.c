/* contracts cache stats|clear: what the cache of facts holds. */
#include "cmds.h"

#include "contracts/cache.h"
#include "contracts/run.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *dir;
static int json;

static const struct ct_opt opts[] = {
    {"cache-dir", "DIR",
     "the cache folder (default: $CONTRACTS_CACHE_DIR, $XDG_CACHE_HOME/contracts, ~/.cache/contracts)",
     &dir, NULL, NULL},
    {"json", NULL, "stats as one JSON object", NULL, &json, NULL},
    {NULL, NULL, NULL, NULL, NULL, NULL}};

const struct ct_cmd_usage cmd_cache_usage = {
    "cache",
    "stats|clear [options]",
    "Show what the cache of facts holds (entries and bytes by kind: py0 "
    "and py1 are parsed modules, side and sidedeps extracted sides), or "
    "remove every entry. Cached clones of remote repositories are kept.",
    1,
    1,
    opts};

struct totals {
	size_t entries;
	uint64_t bytes;
	int first;
};

static void print_kind(const char *kind, size_t entries, uint64_t bytes,
		       void *data)
{
	struct totals *t = data;

	t->entries += entries;
	t->bytes += bytes;
	if (json)
		printf("%s\"%s\": {\"entries\": %zu, \"bytes\": %" PRIu64 "}",
		       t->first ? "" : ", ", kind, entries, bytes);
	else
		printf("  %-10s %8zu entries %12" PRIu64 " bytes\n", kind,
		       entries, bytes);
	t->first = 0;
}

int cmd_cache(int argc, char **argv)
{
	struct ct_cache *c;
	struct ct_err err = CT_ERR_INIT;
	struct totals t = {0, 0, 1};
	int n, rc;

	dir = NULL;
	json = 0;
	if ((rc = ct_opt_parse(&cmd_cache_usage, argc, argv, &n)))
		return rc < 0 ? CT_EXIT_OK : rc;
	if (strcmp(argv[1], "stats") && strcmp(argv[1], "clear")) {
		ct_cli_error("unknown cache action '%s' (stats or clear)",
			     argv[1]);
		return CT_EXIT_USAGE;
	}
	c = ct_cache_open(dir);
	if (!strcmp(argv[1], "clear")) {
		size_t removed;
		if ((rc = ct_cache_clear(c, &removed, &err)))
			rc = ct_cli_fail(&err);
		else
			printf("removed %zu entries from %s\n", removed,
			       ct_cache_dir(c));
		ct_cache_free(c);
		return rc;
	}
	if (json)
		printf("{\"dir\": \"");
	else
		printf("%s\n", ct_cache_dir(c));
	if (json) { /* the folder as a JSON string */
		for (const char *p = ct_cache_dir(c); *p; p++)
			if (*p == '"' || *p == '\\')
				printf("\\%c", *p);
			else if ((unsigned char)*p < 0x20)
				printf("\\u%04x", *p);
			else
				putchar(*p);
		printf("\", \"kinds\": {");
	}
	ct_cache_scan(c, print_kind, &t, &err);
	if (json)
		printf("}, \"entries\": %zu, \"bytes\": %" PRIu64 "}\n",
		       t.entries, t.bytes);
	else
		printf("  %-10s %8zu entries %12" PRIu64 " bytes\n", "all",
		       t.entries, t.bytes);
	ct_cache_free(c);
	return CT_EXIT_OK;
}

void ct_cli_cache_note(const struct ct_run *run)
{
	const char *stats = getenv("CONTRACTS_CACHE_STATS");

	if (ct_run_cache_warning(run))
		ct_cli_error("warning: %s", ct_run_cache_warning(run));
	if (stats && *stats && strcmp(stats, "0") && run->cache) {
		struct ct_cache_counts n = ct_cache_counts(run->cache);
		fprintf(stderr,
			"contracts: cache: %zu hits, %zu misses (%zu damaged), "
			"%zu writes\n",
			n.hits, n.misses, n.damaged, n.writes);
	}
}
