/*
 * keymap.h - a map from byte strings to indexes (open addressing, FNV-1a):
 * what a list holds, found in O(1) by its key where a scan of the list
 * would make work quadratic. Keys are any bytes (a name, a pointer, several
 * fields joined by NULs); the values are usually indexes into an array the
 * caller keeps.
 *
 * Ownership: the map owns copies of its keys; release it with
 * ct_keymap_release(). A zeroed struct (CT_KEYMAP_INIT) is empty.
 */
#ifndef CT_KEYMAP_H
#define CT_KEYMAP_H

#include <stddef.h>

struct ct_keyslot;

struct ct_keymap {
	struct ct_keyslot *slot;
	size_t cap, n;
};

#define CT_KEYMAP_INIT                                                         \
	{                                                                      \
		NULL, 0, 0                                                     \
	}

/* Maps the `len` bytes at `key` to `value`: 1 when the key was new, 0 when
 * it was there already (its value is then left as it was). */
int ct_keymap_put(struct ct_keymap *map, const void *key, size_t len,
		  size_t value);

/* 1 with *out set to the value of the key, 0 when it is absent. */
int ct_keymap_get(size_t *out, const struct ct_keymap *map, const void *key,
		  size_t len);

/* Empties the map, keeping its memory for what comes next. */
void ct_keymap_clear(struct ct_keymap *map);

void ct_keymap_release(struct ct_keymap *map);

#endif
