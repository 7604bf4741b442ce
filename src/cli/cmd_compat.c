/* contracts compat WRITER.json READER.json: can the reader read what the
 * writer writes? */
#include "cmds.h"

#include "contracts/compat.h"
#include "contracts/contract.h"
#include "contracts/report.h"

#include <json-c/json.h>
#include <string.h>

static const char *format, *output, *output_dir, *fail_on, *max_size;
static struct ct_optlist supersets;

static const struct ct_opt opts[] = {
    {"superset", "SHAPE",
     "the reader's SHAPE is a superset on purpose: values it knows beyond the writer's are not news (repeatable)",
     NULL, NULL, &supersets},
    CT_REPORT_OPTS(format, output, output_dir, fail_on),
    {"max-file-size", "BYTES",
     "refuse documents larger than BYTES (default 67108864)", &max_size, NULL,
     NULL},
    {NULL, NULL, NULL, NULL, NULL, NULL}};

const struct ct_cmd_usage cmd_compat_usage = {
    "compat",
    "WRITER.json READER.json [options]",
    "Check that the reader accepts every document the writer may produce: "
    "fields the reader requires and the writer may omit, values the reader "
    "refuses, fields it forbids, events it does not know.",
    2,
    2,
    opts};

int cmd_compat(int argc, char **argv)
{
	struct ct_contract *writer = NULL, *reader = NULL;
	struct ct_changes changes = CT_CHANGES_INIT;
	struct ct_err err = CT_ERR_INIT;
	struct ct_report report;
	enum ct_direction dir = CT_DIR_PROVIDER_TO_CONSUMER;
	enum ct_severity threshold;
	json_object *dirs = NULL;
	size_t max = 0;
	int n, rc;

	output = output_dir = max_size = NULL;
	format = "text";
	fail_on = "breaking";
	supersets.n = 0;
	if ((rc = ct_opt_parse(&cmd_compat_usage, argc, argv, &n)))
		return rc < 0 ? CT_EXIT_OK : rc;
	if ((rc = ct_cli_report_check(&threshold, fail_on, format, output,
				      output_dir)) ||
	    (rc = ct_cli_size(&max, max_size)))
		return rc;
	if ((rc = ct_cli_one_stdin(n, argv)))
		return rc;
	if (ct_cli_contract(&writer, argv[1], max, &err) ||
	    ct_cli_contract(&reader, argv[2], max, &err)) {
		rc = ct_cli_fail(&err);
		goto done;
	}
	if (supersets.n) {
		dirs = json_object_new_object();
		for (int i = 0; i < supersets.n; i++)
			json_object_object_add(
			    dirs, supersets.v[i],
			    json_object_new_string("superset"));
	}
	/* lists compare as the writer's document says its data flows */
	if (ct_contract_direction(writer, &dir))
		dir = CT_DIR_PROVIDER_TO_CONSUMER;
	if (ct_compat(&changes, writer, reader, dir, dirs, &err)) {
		rc = ct_cli_fail(&err);
		goto done;
	}
	changes.left = CT_SIDE_WRITER;
	changes.right = CT_SIDE_READER;
	rc = ct_cli_report(&report, &changes, 1, threshold, format, output,
			   output_dir);
done:
	json_object_put(dirs);
	ct_changes_release(&changes);
	ct_contract_free(writer);
	ct_contract_free(reader);
	return rc;
}
