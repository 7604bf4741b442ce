/* REST routes and calls over fixture packages of ours
 * (tests/fixtures/rest): the served application's table, other apps and
 * routers nobody includes apart, the consumer's calls without false
 * friends, and the two matched. */
#include <criterion/criterion.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contracts/diff.h"
#include "contracts/extract.h"
#include "contracts/file.h"
#include "contracts/json.h"

#define REST CT_FIXTURES "/rest/"

static const char *const provider[] = {"svc/__init__.py",
				       "svc/main.py",
				       "svc/factory.py",
				       "svc/extra.py",
				       "svc/models.py",
				       "svc/admin_app.py",
				       "svc/orphan.py",
				       "svc/routes/__init__.py",
				       "svc/routes/items.py",
				       "svc/routes/reports.py",
				       NULL};
static const char *const consumer[] = {"client/__init__.py", "client/paths.py",
				       "client/calls.py", NULL};

static const char *const calls_options =
    "{\"functions\": {\"get\": 0, \"post\": 0, \"put\": 0, \"delete\": 0,"
    " \"request_backend_json\": 1}, \"bare\": [\"request_backend_json\"],"
    " \"roots\": [\"api\", \"extra\", \"health\"]}";

/* Runs extractor `name` over the fixture files of `side`; 0 or the error,
 * the document in *out. */
static int extract(struct ct_contract **out, struct ct_err *err,
		   const char *name, const char *options, const char *side,
		   const char *const *rel)
{
	const struct ct_extractor *x = ct_extractor_find(name);
	struct ct_source_file files[16];
	struct ct_buf texts[16];
	struct ct_extract_ctx ctx;
	size_t n = 0;
	int rc;

	memset(&ctx, 0, sizeof(ctx));
	for (; rel[n]; n++) {
		char path[512];
		struct ct_buf init = CT_BUF_INIT;
		snprintf(path, sizeof(path), REST "%s/%s", side, rel[n]);
		texts[n] = init;
		cr_assert_eq(ct_file_read(&texts[n], path, 0, err), 0, "%s",
			     path);
		files[n].path = rel[n];
		files[n].data = texts[n].ptr;
		files[n].len = texts[n].len;
	}
	ctx.repo = side;
	ctx.options = options ? json_tokener_parse(options) : NULL;
	ctx.out = ct_contract_new(name, CT_DIR_EXACT);
	rc = x->run(&ctx, files, n, err);
	for (size_t i = 0; i < n; i++)
		ct_buf_release(&texts[i]);
	json_object_put(ctx.options);
	*out = ctx.out;
	return rc;
}

/* "METHOD path [tag]" of every route, one a line, in document order. */
static char *table(struct ct_contract *c)
{
	json_object *routes = ct_contract_member(c, "x-routes");
	struct ct_buf b = CT_BUF_INIT;

	cr_assert_not_null(routes);
	for (size_t i = 0; i < json_object_array_length(routes); i++) {
		json_object *r = json_object_array_get_idx(routes, i), *v;
		ct_buf_addf(
		    &b, "%s %s",
		    json_object_get_string(json_object_object_get(r, "method")),
		    json_object_get_string(json_object_object_get(r, "path")));
		if (json_object_object_get_ex(r, "response", &v))
			ct_buf_addf(&b, " ->%s", json_object_get_string(v));
		if (json_object_object_get_ex(r, "body", &v))
			ct_buf_addf(&b, " <-%s", json_object_get_string(v));
		if (json_object_object_get_ex(r, "app", &v))
			ct_buf_addf(&b, " app=%s", json_object_get_string(v));
		if (json_object_object_get_ex(r, "router", &v))
			ct_buf_addf(&b, " router=%s",
				    json_object_get_string(v));
		ct_buf_addch(&b, '\n');
	}
	return ct_buf_detach(&b, NULL);
}

Test(rest, served_app_from_the_factory_down)
{
	struct ct_err err = CT_ERR_INIT;
	struct ct_contract *c;
	struct ct_origin o;
	char *got;

	cr_assert_eq(extract(&c, &err, "fastapi-routes",
			     "{\"app\": \"svc.main:app\"}", "provider",
			     provider),
		     0, "%s", err.msg);
	got = table(c);
	cr_assert_str_eq(got, "GET /health\n"
			      "GET /api/items/ ->ItemList\n"
			      "POST /api/items/ ->Item <-Item\n"
			      "GET /api/items/{item_id} ->Item\n"
			      "POST /api/items/bulk\n"
			      "PUT /api/items/bulk\n"
			      "WEBSOCKET /api/items/ws\n"
			      "DELETE /api/items/files/{rest:path}\n"
			      "GET /api/items/count\n"
			      "GET /extra/ping\n"
			      "GET /api/reports/daily/\n"
			      "GET /v1/items\n"
			      "GET /stats app=svc.admin_app:admin@4\n"
			      "GET /lost/found router=svc.orphan:orphan@4\n");
	ct_contract_origin(&o, c, "/x-routes/3");
	cr_assert_str_eq(o.path, "svc/routes/items.py");
	cr_assert_eq(o.line, 19);
	free(got);
	ct_contract_free(c);
}

Test(rest, several_apps_without_the_option_are_an_error_naming_them)
{
	struct ct_err err = CT_ERR_INIT;
	struct ct_contract *c;

	cr_assert_neq(
	    extract(&c, &err, "fastapi-routes", NULL, "provider", provider), 0);
	cr_assert_str_eq(err.msg,
			 "2 applications, name one with the \"app\" option: "
			 "svc.admin_app:admin, svc.factory:app");
	ct_contract_free(c);
}

Test(rest, an_app_that_is_not_there_is_an_error)
{
	struct ct_err err = CT_ERR_INIT;
	struct ct_contract *c;

	cr_assert_neq(extract(&c, &err, "fastapi-routes",
			      "{\"app\": \"svc.main:nothing\"}", "provider",
			      provider),
		      0);
	cr_assert(strstr(err.msg, "is no FastAPI application"), "%s", err.msg);
	ct_contract_free(c);
}

Test(rest, consumer_calls_without_false_friends)
{
	struct ct_err err = CT_ERR_INIT;
	struct ct_contract *c;
	struct ct_origin o;
	char *got;

	cr_assert_eq(extract(&c, &err, "http-calls", calls_options, "consumer",
			     consumer),
		     0, "%s", err.msg);
	got = table(c);
	/* not: data.get("name"), request.GET.get("api"), the comparison,
	 * endswith("/ws"), the docstring, Django's path("api/items/") */
	cr_assert_str_eq(got, "GET /api/items/7\n"
			      "POST /api/items/bulk\n"
			      "ANY /api/items/count\n"
			      "POST /api/items/\n"
			      "GET /api/items/{item_id}\n"
			      "DELETE /api/gone\n"
			      "GET /extra/ping/\n"
			      "PUT /api/items/files/{item_id}/a/b\n"
			      "ANY /health\n"
			      "ANY /api/items/{n}/export\n");
	ct_contract_origin(&o, c, "/x-routes/1");
	cr_assert_str_eq(o.path, "client/calls.py");
	cr_assert_eq(o.line, 18);
	free(got);
	ct_contract_free(c);
}

Test(rest, a_call_with_no_route_breaks_and_names_the_closest)
{
	struct ct_err err = CT_ERR_INIT;
	struct ct_contract *p, *k;
	struct ct_changes ch;
	struct ct_buf got = CT_BUF_INIT;
	size_t breaking = 0, info = 0;

	memset(&ch, 0, sizeof(ch));
	cr_assert_eq(extract(&p, &err, "fastapi-routes",
			     "{\"app\": \"svc.main:app\"}", "provider",
			     provider),
		     0);
	cr_assert_eq(extract(&k, &err, "http-calls", calls_options, "consumer",
			     consumer),
		     0);
	cr_assert_eq(ct_diff_parts(&ch, p, k, CT_DIR_PROVIDER_TO_CONSUMER, NULL,
				   CT_DIFF_ROUTES, &err),
		     0);
	ct_changes_for_consumer_routes(&ch);
	for (size_t i = 0; i < ch.n; i++) {
		const struct ct_change *c = &ch.v[i];
		if (c->severity == CT_SEV_BREAKING) {
			ct_buf_addf(&got, "%s (%s)\n", c->member, c->note);
			breaking++;
		} else {
			info++; /* routes nobody calls */
		}
	}
	/* the method must fit too: {rest:path} serves DELETE only; a
	 * {param} of a call matches a {param} of a route, not "export" */
	cr_assert_str_eq(
	    got.ptr,
	    "DELETE /api/gone (closest: DELETE /api/items/files/{rest:path}, "
	    "GET /api/items/, POST /api/items/)\n"
	    "PUT /api/items/files/{item_id}/a/b (closest: DELETE "
	    "/api/items/files/{rest:path}, GET /api/items/{item_id}, PUT "
	    "/api/items/bulk)\n"
	    "ANY /api/items/{n}/export (closest: GET /api/items/{item_id}, GET "
	    "/api/items/, POST /api/items/)\n");
	ct_buf_release(&got);
	cr_assert_eq(breaking, 3);
	/* uncalled: the websocket, PUT bulk, GET /api/items/, DELETE
	 * files, reports, /v1/items, the other app's and the orphan's */
	cr_assert_eq(info, 8, "%zu", info);
	ct_changes_release(&ch);
	ct_contract_free(p);
	ct_contract_free(k);
}
