/* A parsed module saved for the cache and loaded back is the same tree:
 * saving the loaded one gives the same bytes, and the tree's parts read
 * the same; damaged bytes never load. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "contracts/pyparse.h"

static const char *const sources[] = {
    ("from enum import Enum\n"
     "from pydantic import BaseModel, Field\n\n"
     "class Color(str, Enum):\n"
     "    RED = \"red\"\n"
     "    GREEN = 'green'\n\n"
     "class Item(BaseModel):\n"
     "    model_config = {\"extra\": \"forbid\"}\n"
     "    id: int\n"
     "    name: str | None = Field(default=None, alias=\"n\")\n"
     "    tags: list[str] = []\n"),
    ("import a.b as c\nfrom .x import (y as z, w)\nfrom . import *\n"
     "@router.get(\"/items/{id}\", response_model=Item)\n"
     "async def get_item(id: int, q: str = 'x', *args, **kw) -> Item:\n"
     "    if id:\n        return await fetch(f\"{id!r:>4}\", key=[1, 2.5, 3j])\n"
     "    try:\n        pass\n    except* ValueError:\n        raise\n"),
    ("type Pair[T] = tuple[T, T]\nclass Box[T: int = int]:\n    v: T\n"
     "X = {'a': (1, -2), **base}\nY = not a and b or c if d else e\n"),
    ("# only a comment\n"),
    (""),
};

static struct ct_pymodule *parse(const char *src, unsigned flags)
{
	struct ct_pymodule *m = NULL;
	struct ct_err err = CT_ERR_INIT;

	cr_assert_eq(
	    ct_pymodule_parse_ex(&m, src, strlen(src), "m.py", flags, &err), 0,
	    "%s", err.msg);
	return m;
}

Test(pysave, round_trip_is_byte_for_byte)
{
	for (size_t i = 0; i < sizeof(sources) / sizeof(*sources); i++)
		for (unsigned flags = 0; flags < 2; flags++) {
			struct ct_pymodule *m = parse(sources[i], flags), *l;
			struct ct_buf a = CT_BUF_INIT, b = CT_BUF_INIT;
			ct_pymodule_save(&a, m);
			cr_assert_eq(ct_pymodule_load(&l, a.ptr, a.len, "p.py"),
				     0);
			ct_pymodule_save(&b, l);
			cr_assert_eq(a.len, b.len, "source %zu", i);
			cr_assert(!memcmp(a.ptr, b.ptr, a.len));
			cr_assert_str_eq(l->path, "p.py");
			cr_assert_eq(l->nbody, m->nbody);
			cr_assert_eq(l->nexprs, m->nexprs);
			cr_assert_eq(l->len, m->len);
			cr_assert(!memcmp(l->source, m->source, m->len));
			ct_buf_release(&a);
			ct_buf_release(&b);
			ct_pymodule_free(m);
			ct_pymodule_free(l);
		}
}

Test(pysave, loaded_tree_reads_the_same)
{
	struct ct_pymodule *m = parse(sources[0], 0), *l;
	struct ct_buf a = CT_BUF_INIT;
	const struct ct_pystmt *cls;
	char dotted[64];
	size_t len;
	const char *text;

	ct_pymodule_save(&a, m);
	cr_assert_eq(ct_pymodule_load(&l, a.ptr, a.len, "m.py"), 0);
	cls = &l->body[3];
	cr_assert_eq(cls->kind, CT_PY_CLASS);
	cr_assert_str_eq(cls->name, "Item");
	cr_assert_eq(cls->line, 8);
	cr_assert_str_eq(
	    ct_pyexpr_dotted(cls->bases->items[0], dotted, sizeof(dotted)),
	    "BaseModel");
	cr_assert_eq(cls->body[2].kind, CT_PY_ANNASSIGN);
	text = ct_pyexpr_text(l, cls->body[2].annotation, &len);
	cr_assert_eq(len, strlen("str | None"));
	cr_assert(!strncmp(text, "str | None", len));
	cr_assert_eq(l->body[1].kind, CT_PY_FROM);
	cr_assert_str_eq(l->body[1].names[1].name, "Field");
	ct_buf_release(&a);
	ct_pymodule_free(m);
	ct_pymodule_free(l);
}

Test(pysave, damaged_bytes_never_load, .timeout = 60)
{
	struct ct_pymodule *m = parse(sources[1], 0), *l = NULL;
	struct ct_buf a = CT_BUF_INIT;

	ct_pymodule_save(&a, m);
	/* every truncation, and every byte flipped, fails or loads a tree
	 * that saves to valid bytes again: never a crash */
	for (size_t n = 0; n < a.len; n++)
		cr_assert_neq(ct_pymodule_load(&l, a.ptr, n, "m.py"), 0,
			      "a prefix of %zu bytes loaded", n);
	for (size_t i = 0; i < a.len; i++) {
		char *c = malloc(a.len);
		memcpy(c, a.ptr, a.len);
		c[i] ^= 0x5a;
		if (!ct_pymodule_load(&l, c, a.len, "m.py")) {
			struct ct_buf b = CT_BUF_INIT;
			ct_pymodule_save(&b, l);
			ct_buf_release(&b);
			ct_pymodule_free(l);
		}
		free(c);
	}
	ct_buf_release(&a);
	ct_pymodule_free(m);
}

Test(pysave, errors_round_trip)
{
	struct ct_err e = CT_ERR_INIT, back = CT_ERR_INIT;
	struct ct_buf a = CT_BUF_INIT;
	struct ct_pymodule *m = NULL;

	cr_assert_neq(ct_pymodule_parse(&m, "def (:\n", 7, "bad.py", &e), 0);
	ct_pyerror_save(&a, &e);
	cr_assert_eq(ct_pyerror_load(&back, a.ptr, a.len, "other.py"), 0);
	cr_assert_str_eq(back.msg, e.msg);
	cr_assert_eq(back.line, e.line);
	cr_assert_eq(back.col, e.col);
	cr_assert_eq(back.code, e.code);
	cr_assert_str_eq(back.path, "other.py");
	cr_assert_neq(ct_pyerror_load(&back, a.ptr, a.len - 1, "x.py"), 0);
	cr_assert_neq(ct_pymodule_load(&m, a.ptr, a.len, "x.py"), 0);
	ct_buf_release(&a);
}
