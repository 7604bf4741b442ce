/* cmds.h - the subcommands; each returns an exit code, never calls exit(). */
#ifndef CT_CLI_CMDS_H
#define CT_CLI_CMDS_H

#include "opt.h"

int cmd_compare(int argc, char **argv);
extern const struct ct_cmd_usage cmd_compare_usage;

int cmd_py(int argc, char **argv);
extern const struct ct_cmd_usage cmd_py_usage;

#endif
