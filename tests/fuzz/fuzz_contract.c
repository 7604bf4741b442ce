/* fuzz_contract: contract documents, from the JSON scanner up. The input is
 * one or two documents, split at the first NUL byte (which JSON text cannot
 * hold). Each is parsed, validated and written canonically; the canonical
 * text must parse again and write to the same bytes. Then the documents are
 * compared in every direction: the first with a copy of itself, with a
 * fixed small document both ways and with the second one both ways, with
 * ct_diff_ex() (and shape directions) and with ct_compat(). */
#include "fuzz.h"

#include <json-c/json.h>

#include "contracts/compat.h"
#include "contracts/contract.h"
#include "contracts/diff.h"
#include "contracts/json.h"

static const char fixed_text[] =
    "{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\",\n"
    " \"x-contract\": {\"name\": \"fixed\", \"version\": 1,\n"
    "   \"direction\": \"provider-to-consumer\"},\n"
    " \"$defs\": {\n"
    "  \"Kind\": {\"type\": \"string\", \"enum\": [\"a\", \"b\"]},\n"
    "  \"Item\": {\"type\": \"object\", \"properties\": {\n"
    "    \"name\": {\"type\": \"string\"},\n"
    "    \"kind\": {\"$ref\": \"#/$defs/Kind\"},\n"
    "    \"n\": {\"type\": [\"integer\", \"null\"], \"default\": 0}},\n"
    "   \"required\": [\"name\"], \"additionalProperties\": false}},\n"
    " \"x-events\": [\"a\", \"step\"],\n"
    " \"x-routes\": [{\"method\": \"GET\", \"path\": \"/a/{id}\"}],\n"
    " \"x-lists\": {\"flags\": [\"x\", \"y\"]}}\n";

static struct ct_contract *parse(const char *s, size_t len, const char *path)
{
	struct ct_buf text = CT_BUF_INIT;
	struct ct_contract *c = NULL;
	struct ct_err err = CT_ERR_INIT;

	ct_buf_add(&text, s, len);
	if (ct_contract_parse(&c, &text, path, &err))
		c = NULL;
	ct_buf_release(&text);
	return c;
}

/* Validates and writes `c`; a written document must read back and write
 * to the same bytes. */
static void roundtrip(struct ct_contract *c)
{
	struct ct_buf out = CT_BUF_INIT, again = CT_BUF_INIT;
	struct ct_err err = CT_ERR_INIT;
	struct ct_contract *back;

	ct_contract_validate(c, &err);
	if (ct_contract_write(&out, c, &err))
		goto done;
	if (!(back = parse(out.ptr, out.len, "canonical.json")))
		fuzz_fail("the canonical form does not read back:\n%s",
			  out.ptr);
	if (ct_contract_write(&again, back, &err))
		fuzz_fail("the canonical form does not write: %s\n%s", err.msg,
			  out.ptr);
	if (again.len != out.len || memcmp(again.ptr, out.ptr, out.len))
		fuzz_fail("the canonical form is not stable:\n%s\n---\n%s",
			  out.ptr, again.ptr);
	ct_contract_free(back);
done:
	ct_buf_release(&out);
	ct_buf_release(&again);
}

static void compare(struct ct_contract *a, struct ct_contract *b,
		    json_object *dirs)
{
	static const enum ct_direction all[] = {CT_DIR_PROVIDER_TO_CONSUMER,
						CT_DIR_CONSUMER_TO_PROVIDER,
						CT_DIR_EXACT, CT_DIR_SUPERSET};

	for (size_t i = 0; i < sizeof(all) / sizeof(*all); i++) {
		struct ct_changes ch = CT_CHANGES_INIT;
		struct ct_err err = CT_ERR_INIT;
		if (!ct_diff_ex(&ch, a, b, all[i], i % 2 ? dirs : NULL, &err))
			ct_changes_max_severity(&ch);
		ct_changes_release(&ch);
	}
	for (int swap = 0; swap < 2; swap++) {
		struct ct_changes ch = CT_CHANGES_INIT;
		struct ct_err err = CT_ERR_INIT;
		if (!ct_compat(&ch, swap ? b : a, swap ? a : b,
			       CT_DIR_PROVIDER_TO_CONSUMER, swap ? dirs : NULL,
			       &err))
			ct_compat_ok(&ch);
		ct_changes_release(&ch);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static json_object *dirs;
	struct fuzz_part parts[2];
	size_t n = fuzz_split(parts, 2, data, size, 0);
	struct ct_contract *a, *self = NULL, *fixed = NULL, *b = NULL;

	if (!dirs) /* kept for the life of the process */
		dirs = json_tokener_parse(
		    "{\"Kind\": \"superset\", \"Item\": \"exact\"}");
	if (!(a = parse(parts[0].data, parts[0].len, "a.json")))
		goto done;
	roundtrip(a);
	self = parse(parts[0].data, parts[0].len, "self.json");
	fixed = parse(fixed_text, sizeof(fixed_text) - 1, "fixed.json");
	if (!self)
		fuzz_fail("a document that read once does not read again");
	if (!fixed)
		fuzz_fail("the fixed document does not read");
	compare(a, self, dirs);
	compare(a, fixed, dirs);
	compare(fixed, a, dirs);
	if (n == 2 && (b = parse(parts[1].data, parts[1].len, "b.json"))) {
		roundtrip(b);
		compare(a, b, dirs);
		compare(b, a, dirs);
	}
done:
	ct_contract_free(a);
	ct_contract_free(self);
	ct_contract_free(fixed);
	ct_contract_free(b);
	return 0;
}
