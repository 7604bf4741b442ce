/* contracts pin: rewrite pinned contract files from the current sources. */
#include "cmds.h"

#include "contracts/file.h"
#include "contracts/manifest.h"
#include "contracts/report.h"
#include "contracts/run.h"
#include "contracts/xalloc.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

static const char *manifest, *from;
static int check, offline, quiet;
static struct ct_optlist contracts, repos;

static const struct ct_opt opts[] = {
    {"manifest", "FILE", "the manifest (default as for diff)", &manifest, NULL,
     NULL},
    {"contract", "NAME", "pin only this contract (repeatable)", NULL, NULL,
     &contracts},
    {"from", "SIDE",
     "provider (default), consumer, or a side such as netbox-proxbox:committed",
     &from, NULL, NULL},
    {"repo", "NAME=SPEC", "read repository NAME from SPEC instead (repeatable)",
     NULL, NULL, &repos},
    {"check", NULL, "change nothing; exit 1 when pinning would change a file",
     NULL, &check, NULL},
    {"offline", NULL, "use cached clones as they are, never fetch", NULL,
     &offline, NULL},
    {"quiet", NULL, "no progress while cloning or fetching", NULL, &quiet,
     NULL},
    {NULL, NULL, NULL, NULL, NULL, NULL}};

const struct ct_cmd_usage cmd_pin_usage = {
    "pin",
    "[options]",
    "Rewrite the pinned contract files from the current sources. Files are "
    "replaced atomically (a temporary file, synced, then renamed), in "
    "canonical form.",
    0,
    0,
    opts};

/* The side to pin from: the first side of the contract whose repository
 * has the asked role, or the side named. */
static const char *side_of(const struct ct_manifest *m, size_t c,
			   const char *want)
{
	const char *sides[16];
	size_t n = ct_manifest_sides(m, c, sides, 16);

	for (size_t i = 0; i < n; i++) {
		long r = ct_manifest_repo(m, sides[i]);
		if (!strcmp(sides[i], want))
			return sides[i];
		if (r >= 0 && ((!strcmp(want, "provider") &&
				m->repos[r].role == CT_ROLE_PROVIDER) ||
			       (!strcmp(want, "consumer") &&
				m->repos[r].role == CT_ROLE_CONSUMER)))
			return sides[i];
	}
	return NULL;
}

/* The canonical text of a pinned file without the commits it names, to
 * see whether pinning changes the contract itself (a pin keeps the commit
 * it came from until the contract changes). */
static int text_without_sources(struct ct_buf *out, int *named,
				const char *path)
{
	struct ct_contract *old = NULL;
	struct ct_err ignored = CT_ERR_INIT;
	json_object *meta;
	int rc = ct_contract_load(&old, path, 0, &ignored);

	if (!rc) {
		meta = ct_contract_member(old, "x-contract");
		*named =
		    meta && json_object_object_get_ex(meta, "sources", NULL);
		if (meta)
			json_object_object_del(meta, "sources");
		rc = ct_contract_write(out, old, &ignored);
	}
	ct_contract_free(old);
	return rc;
}

/* Removes the temporaries that killed pins left beside the pinned files. */
static void clean_pinned_folders(const struct ct_manifest *m)
{
	for (size_t c = 0; c < m->ncontracts; c++) {
		struct ct_buf dir = CT_BUF_INIT;
		const char *slash;
		ct_buf_addf(&dir, "%s/%s", m->dir, m->contracts[c].pinned);
		slash = strrchr(dir.ptr, '/');
		dir.len = (size_t)(slash - dir.ptr);
		dir.ptr[dir.len] = '\0';
		ct_file_clean_temporaries(dir.ptr);
		ct_buf_release(&dir);
	}
}

/* What pinning would change, one line each on stdout: the pin against
 * the document that would replace it, as `compare --direction exact` says
 * it. */
static void say_changes(const char *path, struct ct_contract *doc)
{
	struct ct_contract *pinned = NULL;
	struct ct_changes ch = CT_CHANGES_INIT;
	struct ct_err err = CT_ERR_INIT;
	char line[1200];

	if (ct_contract_load(&pinned, path, 0, &err)) {
		printf("  %s: no pin yet (%s)\n", path,
		       ct_err_escape(line, sizeof(line), err.msg));
		return;
	}
	if (ct_diff(&ch, pinned, doc, CT_DIR_EXACT, &err)) {
		printf("  %s: %s\n", path,
		       ct_err_escape(line, sizeof(line), err.msg));
	} else if (!ch.n) {
		printf("  %s: the same contract; only the commits it names "
		       "differ\n",
		       path);
	}
	for (size_t i = 0; i < ch.n; i++) {
		struct ct_buf b = CT_BUF_INIT;
		ct_change_describe(&b, &ch.v[i]);
		printf("  %s: %s\n", path,
		       ct_err_escape(line, sizeof(line), b.ptr));
		ct_buf_release(&b);
	}
	ct_changes_release(&ch);
	ct_contract_free(pinned);
}

int cmd_pin(int argc, char **argv)
{
	struct ct_manifest *m = NULL;
	struct ct_source_opts so;
	struct ct_run run;
	struct ct_err err = CT_ERR_INIT;
	char **written = NULL; /* pinned files whose temporary is written */
	const char **froms = NULL;
	size_t nwritten = 0, capwritten = 0, capfroms = 0;
	int nargs, rc, changed = 0;

	manifest = NULL;
	from = "provider";
	check = offline = quiet = 0;
	contracts.n = repos.n = 0;
	if ((rc = ct_opt_parse(&cmd_pin_usage, argc, argv, &nargs)))
		return rc < 0 ? CT_EXIT_OK : rc;
	if ((rc = ct_cli_manifest(&m, manifest, &repos)))
		return rc;
	if (!check)
		clean_pinned_folders(m);
	memset(&so, 0, sizeof(so));
	so.offline = offline;
	so.quiet = quiet;
	ct_run_init(&run, m, &so);
	/* every pin is extracted and its temporary written first; only when
	 * all are, they are renamed into place: a pin of several contracts is
	 * all old or all new, whatever fails or is killed */
	for (size_t c = 0; !rc && c < m->ncontracts; c++) {
		struct ct_contract *doc = NULL;
		struct ct_buf text = CT_BUF_INIT, old = CT_BUF_INIT,
			      path = CT_BUF_INIT;
		const char *side;
		int wanted = !contracts.n;
		for (int i = 0; i < contracts.n; i++)
			wanted |= !strcmp(contracts.v[i], m->contracts[c].name);
		if (!wanted)
			continue;
		if (!(side = side_of(m, c, from))) {
			ct_cli_error("contract '%s' has no side '%s'",
				     m->contracts[c].name, from);
			rc = CT_EXIT_USAGE;
			break;
		}
		ct_buf_addf(&path, "%s/%s", m->dir, m->contracts[c].pinned);
		if (ct_run_extract(&doc, &run, c, side, NULL, &err) ||
		    ct_contract_write(&text, doc, &err)) {
			rc = ct_cli_fail(&err);
		} else {
			int named = 0;
			int same =
			    !text_without_sources(&old, &named, path.ptr) &&
			    old.len == text.len &&
			    !memcmp(old.ptr, text.ptr, text.len);
			/* --check asks about the contract; a pin that does
			 * not yet name its commits is rewritten to */
			if (same && !named && !check)
				same = 0;
			ct_buf_reset(&text);
			ct_run_note_sources(&run, c, side, doc);
			if (!same && ct_contract_write(&text, doc, &err)) {
				rc = ct_cli_fail(&err);
			} else if (!same) {
				changed = 1;
				if (check) {
					fprintf(
					    stderr,
					    "contracts: %s would change (pin from %s)\n",
					    path.ptr, side);
					say_changes(path.ptr, doc);
				} else if (ct_file_mkdirs_parent(path.ptr,
								 &err) ||
					   ct_file_write_temp(path.ptr,
							      text.ptr,
							      text.len, &err)) {
					rc = ct_cli_fail(&err);
				} else {
					written = ct_xgrow(written, &capwritten,
							   nwritten + 1,
							   sizeof(*written));
					froms = ct_xgrow(froms, &capfroms,
							 nwritten + 1,
							 sizeof(*froms));
					froms[nwritten] = side;
					written[nwritten++] =
					    ct_buf_detach(&path, NULL);
				}
			}
		}
		ct_contract_free(doc);
		ct_buf_release(&text);
		ct_buf_release(&old);
		ct_buf_release(&path);
	}
	/* fault injection for the tests: killed with every temporary written */
	if (!rc && nwritten && getenv("CONTRACTS_TEST_DIE_BEFORE_RENAME"))
		abort();
	for (size_t i = 0; i < nwritten; i++) {
		if (rc)
			ct_file_discard(written[i]);
		else if (ct_file_commit(written[i], &err))
			rc = ct_cli_fail(&err);
		else
			fprintf(stderr, "contracts: pinned %s from %s\n",
				written[i], froms[i]);
		free(written[i]);
	}
	free(written);
	free(froms);
	ct_cli_cache_note(&run);
	ct_run_release(&run);
	ct_manifest_free(m);
	if (rc)
		return rc;
	return check && changed ? CT_EXIT_DRIFT : CT_EXIT_OK;
}
