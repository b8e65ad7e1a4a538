/* The options of a command, read through one table. */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"

#define CLI_OPTS_MAX 24

int cli_options(int argc, char **argv, int first, const struct cli_opt *opts, void (*usage)(FILE *f))
{
    struct option lo[CLI_OPTS_MAX + 2];
    int n = 0;
    for (; opts[n].name && n < CLI_OPTS_MAX; n++)
        lo[n] = (struct option){opts[n].name, opts[n].text ? required_argument : no_argument, 0, n};
    lo[n] = (struct option){"help", no_argument, 0, n};
    lo[n + 1] = (struct option){0, 0, 0, 0};
    int c;
    optind = first;
    while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
        if (c < 0 || c > n)
            return cli_usage(usage);
        if (c == n) {
            usage(stdout);
            return CLI_OK;
        }
        if (opts[c].text)
            *opts[c].text = optarg;
        else
            *opts[c].flag = true;
    }
    return -1;
}

int cli_usage(void (*usage)(FILE *f))
{
    usage(stderr);
    return CLI_USAGE;
}
