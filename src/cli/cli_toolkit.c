/* tas toolkit: load screening toolkit definitions (a new version each
 * time one is revised) from files, a directory, or those built in; list
 * what is loaded. */
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "service/svc_toolkits.h"

#define MAX_DEFINITION_BYTES (256 * 1024)

static void usage(FILE *f)
{
    fputs("Usage: tas toolkit load --db PATH [--builtin] [FILE|DIR ...]\n"
          "       tas toolkit list --db PATH\n"
          "Loads screening toolkit definitions (docs/outcomes.md describes the format):\n"
          "each FILE, every *.tk file in each DIR, and with --builtin those built into\n"
          "tas.  A revision must carry a higher version; loading the same text again\n"
          "changes nothing.  A definition with errors is refused, naming each line.\n", f);
}

static int load_file(struct svc_ctx *c, const char *path)
{
    char *text = cli_slurp(path, MAX_DEFINITION_BYTES);
    if (!text) {
        cli_fail("cannot read %s (or it is over 256 KiB)", path);
        return CLI_FAIL;
    }
    struct tk_errors errs;
    struct toolkit_def_row row;
    bool unchanged = false;
    enum svc_status st = svc_toolkit_load(c, text, &errs, &row, &unchanged);
    free(text);
    if (st == SVC_INVALID) {
        for (size_t i = 0; i < errs.count; i++)
            printf("%s: line %d: %s: %s\n", path, errs.items[i].line, errs.items[i].field, errs.items[i].message);
        cli_fail("%s is not a valid toolkit definition; nothing was loaded from it", path);
        return CLI_FAIL;
    }
    if (st == SVC_CONFLICT) {
        cli_fail("%s: this or a later version of %s is already loaded with other text: raise its version",
                 path, row.name);
        return CLI_FAIL;
    }
    if (st != SVC_OK) {
        cli_fail("%s: cannot load (%s)", path, svc_status_text(st));
        return CLI_FAIL;
    }
    printf("%s %s version %d (%s)\n", unchanged ? "already loaded:" : "loaded", row.name, row.version, path);
    return CLI_OK;
}

static bool is_tk(const char *name)
{
    size_t n = strlen(name);
    return n > 3 && strcmp(name + n - 3, ".tk") == 0 && name[0] != '.';
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.tk file in a directory, in name order. */
static int load_dir(struct svc_ctx *c, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        cli_fail("cannot read the directory %s", dir);
        return CLI_FAIL;
    }
    char *names[256];
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL && n < 256;)
        if (is_tk(e->d_name))
            names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, n, sizeof names[0], cmp_names);
    int rc = CLI_OK;
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i] ? names[i] : "");
        if (names[i] && load_file(c, path) != CLI_OK)
            rc = CLI_FAIL;
        free(names[i]);
    }
    return rc;
}

static int load_path(struct svc_ctx *c, const char *path)
{
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
        return load_dir(c, path);
    return load_file(c, path);
}

static void print_def(void *arg, const struct toolkit_def_row *r)
{
    (void)arg;
    printf("%s\t%d\t%s\n", r->name, r->version, r->title);
}

static int run(const char *db, const char *sub, bool builtin, char **paths, int npaths)
{
    struct svc_ctx ctx;
    struct store *s = cli_open_system(db, &ctx);
    if (!s)
        return CLI_FAIL;
    int rc = CLI_OK;
    if (strcmp(sub, "list") == 0) {
        rc = svc_toolkit_list(&ctx, print_def, NULL) == SVC_OK ? CLI_OK : CLI_FAIL;
    } else {
        size_t loaded = 0;
        if (builtin && svc_toolkit_load_builtin(&ctx, &loaded) != SVC_OK) {
            cli_fail("cannot load the built-in toolkits");
            rc = CLI_FAIL;
        } else if (builtin) {
            printf("built-in toolkits: %zu loaded\n", loaded);
        }
        for (int i = 0; i < npaths; i++)
            if (load_path(&ctx, paths[i]) != CLI_OK)
                rc = CLI_FAIL;
    }
    store_close(s);
    return rc;
}

int cli_toolkit(int argc, char **argv)
{
    const char *db = "tas.db";
    bool builtin = false;
    const struct cli_opt opts[] = {{"db", &db, NULL}, {"builtin", NULL, &builtin}, {0}};
    int done = cli_options(argc, argv, 1, opts, usage);
    if (done >= 0)
        return done;
    const char *sub = optind < argc ? argv[optind] : "";
    int npaths = argc - optind - 1;
    bool load = strcmp(sub, "load") == 0, list = strcmp(sub, "list") == 0;
    if ((!load && !list) || (list && (npaths || builtin)) || (load && !builtin && npaths < 1)) {
        usage(stderr);
        return CLI_USAGE;
    }
    return run(db, sub, builtin, argv + optind + 1, npaths);
}
