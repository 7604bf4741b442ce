#include "contracts/keymap.h"

#include "contracts/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct ct_keyslot {
	char *key; /* NULL: a free slot */
	size_t len;
	uint64_t hash;
	size_t value;
};

static uint64_t hash(const void *key, size_t len)
{
	const unsigned char *p = key;
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

/* The slot holding the key, or the free slot where it would go. */
static struct ct_keyslot *slot_of(const struct ct_keymap *map, uint64_t h,
				  const void *key, size_t len)
{
	size_t i = (size_t)h & (map->cap - 1);

	for (;; i = (i + 1) & (map->cap - 1)) {
		struct ct_keyslot *s = &map->slot[i];
		if (!s->key || (s->hash == h && s->len == len &&
				!memcmp(s->key, key, len)))
			return s;
	}
}

int ct_keymap_put(struct ct_keymap *map, const void *key, size_t len,
		  size_t value)
{
	uint64_t h = hash(key, len);
	struct ct_keyslot *s;

	if (2 * (map->n + 1) > map->cap) {
		struct ct_keymap big = {NULL, map->cap ? 2 * map->cap : 16, 0};
		big.slot = ct_xcalloc(big.cap, sizeof(*big.slot));
		for (size_t k = 0; k < map->cap; k++) {
			struct ct_keyslot *old = &map->slot[k];
			if (old->key)
				*slot_of(&big, old->hash, old->key, old->len) =
				    *old;
		}
		big.n = map->n;
		free(map->slot);
		*map = big;
	}
	s = slot_of(map, h, key, len);
	if (s->key)
		return 0;
	s->key = ct_xmalloc(len ? len : 1);
	memcpy(s->key, key, len);
	s->len = len;
	s->hash = h;
	s->value = value;
	map->n++;
	return 1;
}

int ct_keymap_get(size_t *out, const struct ct_keymap *map, const void *key,
		  size_t len)
{
	const struct ct_keyslot *s;

	if (!map->n)
		return 0;
	s = slot_of(map, hash(key, len), key, len);
	if (!s->key)
		return 0;
	*out = s->value;
	return 1;
}

void ct_keymap_clear(struct ct_keymap *map)
{
	for (size_t i = 0; i < map->cap; i++) {
		free(map->slot[i].key);
		map->slot[i].key = NULL;
	}
	map->n = 0;
}

void ct_keymap_release(struct ct_keymap *map)
{
	ct_keymap_clear(map);
	free(map->slot);
	memset(map, 0, sizeof(*map));
}
