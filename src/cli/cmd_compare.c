/* contracts compare OLD.json NEW.json: two contract documents, one report. */
#include "cmds.h"

#include "contracts/contract.h"
#include "contracts/diff.h"
#include "contracts/report.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *direction, *format = "text", *output, *output_dir,
			      *fail_on = "breaking", *max_size;

static const struct ct_opt opts[] = {
    {"direction", "D",
     "provider-to-consumer, consumer-to-provider, exact or superset (default: OLD's x-contract.direction, else provider-to-consumer)",
     &direction, NULL, NULL},
    CT_REPORT_OPTS(format, output, output_dir, fail_on),
    {"max-file-size", "BYTES",
     "refuse documents larger than BYTES (default 67108864)", &max_size, NULL,
     NULL},
    {NULL, NULL, NULL, NULL, NULL, NULL}};

const struct ct_cmd_usage cmd_compare_usage = {
    "compare",
    "OLD.json NEW.json [options]",
    "Compare two contract documents and report every change with its severity.",
    2,
    2,
    opts};

int cmd_compare(int argc, char **argv)
{
	struct ct_contract *old_doc = NULL, *new_doc = NULL;
	struct ct_changes changes = CT_CHANGES_INIT;
	struct ct_err err = CT_ERR_INIT;
	struct ct_report report;
	enum ct_direction dir = CT_DIR_PROVIDER_TO_CONSUMER;
	enum ct_severity threshold;
	size_t max = 0;
	int n, rc;

	direction = output = output_dir = max_size = NULL;
	format = "text";
	fail_on = "breaking";
	if ((rc = ct_opt_parse(&cmd_compare_usage, argc, argv, &n)))
		return rc < 0 ? CT_EXIT_OK : rc;
	if ((rc = ct_cli_report_check(&threshold, fail_on, format, output,
				      output_dir)))
		return rc;
	if (direction && ct_direction_parse(&dir, direction)) {
		ct_cli_error(
		    "unknown --direction '%s' (provider-to-consumer, consumer-to-provider, exact or superset)",
		    direction);
		return CT_EXIT_USAGE;
	}
	if ((rc = ct_cli_size(&max, max_size)))
		return rc;
	if ((rc = ct_cli_one_stdin(n, argv)))
		return rc;

	if (ct_cli_contract(&old_doc, argv[1], max, &err) ||
	    ct_cli_contract(&new_doc, argv[2], max, &err)) {
		rc = ct_cli_fail(&err);
		goto done;
	}
	if (!direction && ct_contract_direction(old_doc, &dir) &&
	    ct_contract_direction(new_doc, &dir))
		dir = CT_DIR_PROVIDER_TO_CONSUMER;
	if (ct_diff(&changes, old_doc, new_doc, dir, &err)) {
		rc = ct_cli_fail(&err);
		goto done;
	}
	rc = ct_cli_report(&report, &changes, 1, threshold, format, output,
			   output_dir);
done:
	ct_changes_release(&changes);
	ct_contract_free(old_doc);
	ct_contract_free(new_doc);
	return rc;
}
