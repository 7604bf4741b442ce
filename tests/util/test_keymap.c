#include <criterion/criterion.h>
#include <stdio.h>

#include "contracts/keymap.h"

Test(keymap, finds_what_was_put)
{
	struct ct_keymap map = CT_KEYMAP_INIT;
	size_t v = 0;

	cr_assert(!ct_keymap_get(&v, &map, "a", 1));
	cr_assert(ct_keymap_put(&map, "a", 1, 7));
	cr_assert(ct_keymap_get(&v, &map, "a", 1));
	cr_assert_eq(v, 7);
	cr_assert(!ct_keymap_get(&v, &map, "b", 1));
	ct_keymap_release(&map);
}

Test(keymap, keeps_the_first_value_of_a_key)
{
	struct ct_keymap map = CT_KEYMAP_INIT;
	size_t v = 0;

	cr_assert(ct_keymap_put(&map, "k", 1, 1));
	cr_assert(!ct_keymap_put(&map, "k", 1, 2));
	cr_assert(ct_keymap_get(&v, &map, "k", 1));
	cr_assert_eq(v, 1);
	ct_keymap_release(&map);
}

Test(keymap, keys_are_bytes_with_their_length)
{
	struct ct_keymap map = CT_KEYMAP_INIT;
	size_t v = 0;

	cr_assert(ct_keymap_put(&map, "a\0b", 3, 1));
	cr_assert(ct_keymap_put(&map, "a\0c", 3, 2));
	cr_assert(ct_keymap_put(&map, "a", 1, 3));
	cr_assert(ct_keymap_put(&map, "", 0, 4));
	cr_assert(ct_keymap_get(&v, &map, "a\0c", 3));
	cr_assert_eq(v, 2);
	cr_assert(ct_keymap_get(&v, &map, "", 0));
	cr_assert_eq(v, 4);
	cr_assert_eq(map.n, 4);
	ct_keymap_release(&map);
}

Test(keymap, grows_past_many_keys_and_clears)
{
	struct ct_keymap map = CT_KEYMAP_INIT;
	char key[32];
	size_t v = 0;

	for (size_t i = 0; i < 5000; i++) {
		int n = snprintf(key, sizeof(key), "name%zu", i);
		cr_assert(ct_keymap_put(&map, key, (size_t)n, i));
	}
	for (size_t i = 0; i < 5000; i++) {
		int n = snprintf(key, sizeof(key), "name%zu", i);
		cr_assert(ct_keymap_get(&v, &map, key, (size_t)n));
		cr_assert_eq(v, i);
	}
	ct_keymap_clear(&map);
	cr_assert_eq(map.n, 0);
	cr_assert(!ct_keymap_get(&v, &map, "name1", 5));
	cr_assert(ct_keymap_put(&map, "name1", 5, 9));
	ct_keymap_release(&map);
}
