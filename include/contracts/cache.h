/*
 * cache.h - a content-addressed store of what the tool learned, on disk:
 * entries named by a kind ("py", "side", ...) and an id (the hex of a git
 * blob id, or of a hash of everything that shaped the entry), so an entry
 * is valid forever and never needs invalidating.
 *
 * The folder is $CONTRACTS_CACHE_DIR, else $XDG_CACHE_HOME/contracts, else
 * ~/.cache/contracts (as for cached clones), with entries under facts/.
 * Every entry carries a header (magic, format version, length, a checksum
 * over its id and bytes): a damaged, truncated or foreign entry reads as a
 * miss and is rewritten. Writes go to a temporary file renamed into place,
 * so processes may fill one cache at once. A folder that cannot be written
 * turns the cache off for the run with one warning; nothing fails.
 *
 * Ownership: ct_cache_open() gives a cache freed with ct_cache_free().
 */
#ifndef CT_CACHE_H
#define CT_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "contracts/buf.h"
#include "contracts/err.h"

/* Bumped whenever what any entry holds changes meaning. */
#define CT_CACHE_FORMAT 1

struct ct_cache;

struct ct_cache_counts {
	size_t hits, misses, writes, damaged;
};

/* Opens the cache at `dir` (NULL: the default folder above). Never fails:
 * a folder that cannot be created gives a cache that is off, with
 * ct_cache_warning() saying why. With CONTRACTS_CACHE=off in the
 * environment, the cache is off without a warning. */
struct ct_cache *ct_cache_open(const char *dir);
void ct_cache_free(struct ct_cache *c);

/* The folder (borrowed), whether the cache is on, and the one warning of
 * the run (borrowed; NULL when none). */
const char *ct_cache_dir(const struct ct_cache *c);
int ct_cache_enabled(const struct ct_cache *c);
const char *ct_cache_warning(const struct ct_cache *c);

/* Appends the bytes of entry kind/id to `out`: 0, or CT_ENOTFOUND (absent,
 * damaged, or the cache is off). `id` is lowercase hex, 8 to 64 digits;
 * `kind` a short word of letters and digits. */
int ct_cache_get(struct ct_cache *c, const char *kind, const char *id,
		 struct ct_buf *out);

/* Stores entry kind/id (the bytes are copied). Entries are written by a
 * thread of the cache's own, in order; a failure to write turns the cache
 * off (one warning) and is otherwise ignored. */
void ct_cache_put(struct ct_cache *c, const char *kind, const char *id,
		  const void *data, size_t len);

/* Waits until every entry stored so far is written (or failed). */
void ct_cache_flush(struct ct_cache *c);

/* This process's counts of gets that hit, missed (damaged ones among
 * them), and of entries written. */
struct ct_cache_counts ct_cache_counts(const struct ct_cache *c);

/* What is on disk: entries and bytes per kind, through `fn` (kinds in
 * sorted order). */
typedef void (*ct_cache_kind_fn)(const char *kind, size_t entries,
				 uint64_t bytes, void *data);
int ct_cache_scan(const struct ct_cache *c, ct_cache_kind_fn fn, void *data,
		  struct ct_err *err);

/* Removes every entry (and leftover temporary files); *removed counts the
 * entries. */
int ct_cache_clear(struct ct_cache *c, size_t *removed, struct ct_err *err);

#endif
