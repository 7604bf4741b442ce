/* memo.c - what one side of a contract gave, remembered in the cache.
 *
 * An extraction is a function of the tree it reads and of the manifest's
 * word for the side (extractors, options, paths). So the side's document
 * is kept twice:
 *   - kind "side", named by the side's key and the tree id: the same tree
 *     again (a nightly run where nothing moved) is one read;
 *   - kind "sidedeps", named by the side's key alone, with what the
 *     extraction depended on: the index id of the tree (which files exist)
 *     and the blob id of every file whose bytes it consulted. Another tree
 *     with the same index and the same blobs (history, where most commits
 *     touch other files) gives the same document without reading a file.
 * Origins are kept without their commit, which is the current one's. */
#include "run_impl.h"

#include "contracts/cache.h"
#include "contracts/extract.h"
#include "contracts/json.h"
#include "contracts/sha1.h"
#include "contracts/xalloc.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MEMO_VERSION "contracts side memo 1"

void ct_run_rec_touch(void *data, const char *path)
{
	struct ct_run_rec *rec = data;

	if (rec && ct_strset_add(&rec->seen, path)) {
		rec->paths = ct_xgrow(rec->paths, &rec->cap, rec->n + 1,
				      sizeof(*rec->paths));
		rec->paths[rec->n++] = ct_xstrdup(path);
	}
}

void ct_run_rec_release(struct ct_run_rec *rec)
{
	for (size_t i = 0; i < rec->n; i++)
		free(rec->paths[i]);
	free(rec->paths);
	ct_strset_release(&rec->seen);
	memset(rec, 0, sizeof(*rec));
}

static void add_field(struct ct_sha1 *h, const char *s)
{
	ct_sha1_add(h, s ? s : "", s ? strlen(s) + 1 : 0);
	ct_sha1_add(h, "\x1f", 1);
}

int ct_run_memo_key(char out[41], const struct ct_run *run, size_t c,
		    const char *side)
{
	const struct ct_mcontract *mc = &run->manifest->contracts[c];
	struct ct_sha1 h;

	size_t repo = (size_t)-1;

	ct_sha1_init(&h);
	add_field(&h, MEMO_VERSION);
	add_field(&h, CT_VERSION);
	add_field(&h, mc->name);
	add_field(&h, ct_direction_name(mc->direction));
	add_field(&h, side);
	for (size_t i = 0; i < mc->nsources; i++) {
		const struct ct_msource *ms = &mc->sources[i];
		if (strcmp(ms->side, side))
			continue;
		if (ms->url)
			return -1; /* what a server answers is not a tree */
		if (repo != (size_t)-1 && repo != ms->repo)
			return -1; /* one tree per record */
		repo = ms->repo;
		add_field(&h, run->manifest->repos[ms->repo].name);
		add_field(&h, ms->extractor);
		add_field(&h, ms->options
				  ? json_object_to_json_string_ext(
					ms->options, JSON_C_TO_STRING_PLAIN)
				  : "");
		for (size_t p = 0; p < ms->npaths; p++)
			add_field(&h, ms->paths[p]);
		add_field(&h, "exclude");
		for (size_t p = 0; p < ms->nexclude; p++)
			add_field(&h, ms->exclude[p]);
	}
	ct_sha1_hex(&h, out);
	return 0;
}

static void tree_entry_id(char out[41], const char *key, const char *tree)
{
	struct ct_sha1 h;

	ct_sha1_init(&h);
	add_field(&h, key);
	add_field(&h, tree);
	ct_sha1_hex(&h, out);
}

/* The document of a record, its origins given `repo`'s current commit. */
static int decode(struct ct_contract **out, json_object *rec,
		  const char *commit)
{
	json_object *doc, *origins;
	struct ct_err err = CT_ERR_INIT;

	if (!json_object_object_get_ex(rec, "doc", &doc) ||
	    !json_object_object_get_ex(rec, "origins", &origins) ||
	    !json_object_is_type(origins, json_type_array))
		return CT_EPARSE;
	if (ct_contract_from_json(out, json_object_get(doc), &err))
		return CT_EPARSE;
	for (size_t i = 0; i < json_object_array_length(origins); i++) {
		json_object *o = json_object_array_get_idx(origins, i);
		struct ct_origin at;
		if (!json_object_is_type(o, json_type_array) ||
		    json_object_array_length(o) != 4) {
			ct_contract_free(*out);
			return CT_EPARSE;
		}
		at.repo =
		    json_object_get_string(json_object_array_get_idx(o, 1));
		at.commit = commit;
		at.path =
		    json_object_get_string(json_object_array_get_idx(o, 2));
		at.line = (unsigned)json_object_get_int(
		    json_object_array_get_idx(o, 3));
		ct_contract_set_origin(
		    *out,
		    json_object_get_string(json_object_array_get_idx(o, 0)),
		    &at);
	}
	return 0;
}

/* ---- what this run extracted, in memory (for walking history) ---------- */

struct mem_entry {
	char key[41];
	char tree[41];	/* the tree it was extracted from */
	char index[41]; /* its index id */
	char **paths;	/* the files consulted, and their blob ids */
	char (*blobs)[41];
	size_t n;
	char digest[41]; /* "" when the side could not be built */
};

struct ct_run_mem {
	struct mem_entry *v;
	size_t n, cap;
};

static void entry_clear(struct mem_entry *e)
{
	for (size_t i = 0; i < e->n; i++)
		free(e->paths[i]);
	free(e->paths);
	free(e->blobs);
	e->paths = NULL;
	e->blobs = NULL;
	e->n = 0;
}

void ct_run_mem_free(struct ct_run_mem *mem)
{
	if (!mem)
		return;
	for (size_t i = 0; i < mem->n; i++)
		entry_clear(&mem->v[i]);
	free(mem->v);
	free(mem);
}

static struct mem_entry *mem_find(struct ct_run_mem *mem, const char *key)
{
	for (size_t i = 0; mem && i < mem->n; i++)
		if (!strcmp(mem->v[i].key, key))
			return &mem->v[i];
	return NULL;
}

/* The entry of `key`, emptied (made when missing). */
static struct mem_entry *mem_slot(struct ct_run *run, const char *key)
{
	struct mem_entry *e;

	if (!run->mem)
		run->mem = ct_xcalloc(1, sizeof(*run->mem));
	if (!(e = mem_find(run->mem, key))) {
		run->mem->v = ct_xgrow(run->mem->v, &run->mem->cap,
				       run->mem->n + 1, sizeof(*run->mem->v));
		e = &run->mem->v[run->mem->n++];
		memset(e, 0, sizeof(*e));
		memcpy(e->key, key, 41);
	}
	entry_clear(e);
	return e;
}

/* Notes in memory what record `rec`, valid for the tree `src` reads, says
 * the side depended on: nothing is read from the repository. */
static void mem_note_record(struct ct_run *run, struct ct_source *src,
			    const char *key, json_object *rec,
			    const char *digest)
{
	json_object *deps, *index;
	const char *tree = ct_source_tree_id(src);
	struct mem_entry *e;
	size_t n, i = 0;

	if (!tree || !json_object_object_get_ex(rec, "deps", &deps) ||
	    !json_object_is_type(deps, json_type_object) ||
	    !json_object_object_get_ex(rec, "index", &index) ||
	    strlen(json_object_get_string(index)) != 40)
		return;
	e = mem_slot(run, key);
	n = (size_t)json_object_object_length(deps);
	memcpy(e->tree, tree, 41);
	memcpy(e->index, json_object_get_string(index), 41);
	snprintf(e->digest, sizeof(e->digest), "%s", digest);
	e->paths = ct_xcalloc(n ? n : 1, sizeof(*e->paths));
	e->blobs = ct_xcalloc(n ? n : 1, sizeof(*e->blobs));
	json_object_object_foreach(deps, path, blob)
	{
		e->paths[i] = ct_xstrdup(path);
		snprintf(e->blobs[i], 41, "%s", json_object_get_string(blob));
		i++;
	}
	e->n = i;
}

static json_object *read_record(struct ct_cache *cache, const char *kind,
				const char *id)
{
	struct ct_buf b = CT_BUF_INIT;
	json_object *rec = NULL;

	if (!ct_cache_get(cache, kind, id, &b))
		rec = json_tokener_parse(b.ptr);
	ct_buf_release(&b);
	if (rec && !json_object_is_type(rec, json_type_object)) {
		json_object_put(rec);
		rec = NULL;
	}
	return rec;
}

/* Whether the tree `src` reads has what `rec` depended on. */
static int still_holds(json_object *rec, struct ct_source *src)
{
	json_object *index, *deps;
	char id[41];
	struct ct_err err = CT_ERR_INIT;

	if (!json_object_object_get_ex(rec, "index", &index) ||
	    !json_object_object_get_ex(rec, "deps", &deps) ||
	    !json_object_is_type(deps, json_type_object) ||
	    ct_source_index_id(src, id, &err) ||
	    strcmp(id, json_object_get_string(index)))
		return 0;
	json_object_object_foreach(deps, path, blob)
	{
		if (ct_source_blob_id(src, path, id, &err) ||
		    strcmp(id, json_object_get_string(blob)))
			return 0;
	}
	return 1;
}

static void digest_of(char out[41], json_object *rec)
{
	json_object *d;

	if (out && json_object_object_get_ex(rec, "digest", &d))
		snprintf(out, 41, "%s", json_object_get_string(d));
	else if (out)
		out[0] = '\0';
}

int ct_run_memo_load(struct ct_contract **out, struct ct_run *run,
		     struct ct_source *src, const char *key, char digest[41])
{
	const char *tree = ct_source_tree_id(src);
	char tid[41];
	json_object *rec = NULL;
	int rc = CT_ENOTFOUND;

	if (!run->cache || !ct_cache_enabled(run->cache))
		return CT_ENOTFOUND;
	if (tree) {
		tree_entry_id(tid, key, tree);
		rec = read_record(run->cache, "side", tid);
	}
	if (rec && !decode(out, rec, ct_source_commit(src))) {
		digest_of(digest, rec);
		if (digest && digest[0])
			mem_note_record(run, src, key, rec, digest);
		rc = 0;
		goto done;
	}
	json_object_put(rec);
	rec = read_record(run->cache, "sidedeps", key);
	if (rec && still_holds(rec, src) &&
	    !decode(out, rec, ct_source_commit(src))) {
		digest_of(digest, rec);
		if (digest && digest[0])
			mem_note_record(run, src, key, rec, digest);
		rc = 0;
		if (tree) { /* this tree is known now */
			const char *text = json_object_to_json_string_ext(
			    rec, JSON_C_TO_STRING_PLAIN);
			ct_cache_put(run->cache, "side", tid, text,
				     strlen(text));
		}
	}
done:
	json_object_put(rec);
	return rc;
}

int ct_run_digest(char out[41], struct ct_contract *doc)
{
	struct ct_buf text = CT_BUF_INIT;
	struct ct_err err = CT_ERR_INIT;
	struct ct_sha1 h;
	int rc = ct_contract_write(&text, doc, &err);

	ct_sha1_init(&h);
	ct_sha1_add(&h, text.ptr, text.len);
	ct_sha1_hex(&h, out);
	ct_buf_release(&text);
	return rc;
}

void ct_run_memo_store(struct ct_run *run, struct ct_source *src,
		       const char *key, struct ct_contract *doc,
		       const struct ct_run_rec *rec, char digest[41])
{
	json_object *r, *deps, *origins, *parsed;
	struct ct_buf text = CT_BUF_INIT;
	struct ct_err err = CT_ERR_INIT;
	const char *tree = ct_source_tree_id(src);
	char id[41];
	struct ct_sha1 h;

	if (ct_contract_write(&text, doc, &err) ||
	    !(parsed = json_tokener_parse(text.ptr))) {
		ct_buf_release(&text);
		if (digest)
			digest[0] = '\0';
		return;
	}
	ct_sha1_init(&h);
	ct_sha1_add(&h, text.ptr, text.len);
	ct_sha1_hex(&h, id);
	if (digest)
		memcpy(digest, id, 41);
	ct_buf_release(&text);
	if (!run->cache || !ct_cache_enabled(run->cache)) {
		json_object_put(parsed);
		return;
	}
	r = json_object_new_object();
	deps = json_object_new_object();
	origins = json_object_new_array();
	json_object_object_add(r, "digest", json_object_new_string(id));
	if (ct_source_index_id(src, id, &err))
		goto done;
	json_object_object_add(r, "index", json_object_new_string(id));
	for (size_t i = 0; i < rec->n; i++) {
		if (ct_source_blob_id(src, rec->paths[i], id, &err))
			goto done; /* read, yet gone: remember nothing */
		json_object_object_add(deps, rec->paths[i],
				       json_object_new_string(id));
	}
	for (size_t i = 0; i < ct_contract_origin_count(doc); i++) {
		struct ct_origin at;
		const char *ptr = ct_contract_origin_at(&at, doc, i);
		json_object *o = json_object_new_array();
		json_object_array_add(o, json_object_new_string(ptr));
		json_object_array_add(
		    o, json_object_new_string(at.repo ? at.repo : ""));
		json_object_array_add(
		    o, json_object_new_string(at.path ? at.path : ""));
		json_object_array_add(o, json_object_new_int((int)at.line));
		json_object_array_add(origins, o);
	}
	json_object_object_add(r, "deps", json_object_get(deps));
	json_object_object_add(r, "origins", json_object_get(origins));
	json_object_object_add(r, "doc", json_object_get(parsed));
	{
		const char *s =
		    json_object_to_json_string_ext(r, JSON_C_TO_STRING_PLAIN);
		ct_cache_put(run->cache, "sidedeps", key, s, strlen(s));
		if (tree) {
			char tid[41];
			tree_entry_id(tid, key, tree);
			ct_cache_put(run->cache, "side", tid, s, strlen(s));
		}
	}
done:
	json_object_put(deps);
	json_object_put(origins);
	json_object_put(parsed);
	json_object_put(r);
}

int ct_run_mem_recall(struct ct_run *run, struct ct_source *src,
		      const char *key, char digest[41])
{
	struct mem_entry *e = mem_find(run->mem, key);
	const char *tree = ct_source_tree_id(src);
	struct ct_err err = CT_ERR_INIT;
	char id[41];

	if (!e || !tree)
		return 0;
	if (strcmp(e->tree, tree)) {
		if (ct_source_index_id(src, id, &err) || strcmp(id, e->index))
			return 0;
		for (size_t i = 0; i < e->n; i++) {
			/* a file consulted and missing stays missing */
			int gone =
			    ct_source_blob_id(src, e->paths[i], id, &err);
			if (gone ? e->blobs[i][0] != '\0'
				 : strcmp(id, e->blobs[i]))
				return 0;
		}
		memcpy(e->tree, tree, 41);
	}
	memcpy(digest, e->digest, 41);
	return 1;
}

void ct_run_mem_note(struct ct_run *run, struct ct_source *src, const char *key,
		     const struct ct_run_rec *rec, const char *digest)
{
	struct mem_entry *e;
	const char *tree = ct_source_tree_id(src);
	struct ct_err err = CT_ERR_INIT;

	if (!tree)
		return; /* a work tree does not move */
	e = mem_slot(run, key);
	if (ct_source_index_id(src, e->index, &err)) {
		e->tree[0] = '\0';
		e->index[0] = '\0';
		return;
	}
	memcpy(e->tree, tree, 41);
	snprintf(e->digest, sizeof(e->digest), "%s", digest ? digest : "");
	e->paths = ct_xcalloc(rec->n ? rec->n : 1, sizeof(*e->paths));
	e->blobs = ct_xcalloc(rec->n ? rec->n : 1, sizeof(*e->blobs));
	for (size_t i = 0; i < rec->n; i++) {
		e->paths[i] = ct_xstrdup(rec->paths[i]);
		if (ct_source_blob_id(src, rec->paths[i], e->blobs[i], &err))
			e->blobs[i][0] = '\0';
	}
	e->n = rec->n;
}
