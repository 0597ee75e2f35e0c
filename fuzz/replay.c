/*
 * Replay driver for fuzz targets built without libFuzzer: runs
 * LLVMFuzzerTestOneInput on every file of the directories (or files) given, so
 * ctest replays the committed corpus under gcc and the sanitizers.
 */
#include "sp_buf.h"
#include "sp_str.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path, size_t *count)
{
    struct sp_buf buf = SP_BUF_INIT;
    struct sp_err err = SP_ERR_INIT;

    if (sp_read_file(&buf, path, &err)) {
        fprintf(stderr, "replay: %s\n", err.msg);
        return 1;
    }
    LLVMFuzzerTestOneInput((const uint8_t *)buf.data, buf.len);
    sp_buf_release(&buf);
    (*count)++;
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_path(const char *path, size_t *count)
{
    struct stat sb;
    DIR *dir;
    struct dirent *e;
    char **names = NULL;
    size_t n = 0;
    int rc = 0;

    if (stat(path, &sb)) {
        fprintf(stderr, "replay: %s: not found\n", path);
        return 1;
    }
    if (!S_ISDIR(sb.st_mode))
        return run_file(path, count);
    dir = opendir(path);
    if (!dir)
        return 1;
    while ((e = readdir(dir))) {
        if (e->d_name[0] == '.')
            continue;
        names = realloc(names, (n + 1) * sizeof(*names));
        names[n] = malloc(strlen(path) + strlen(e->d_name) + 2);
        snprintf(names[n], strlen(path) + strlen(e->d_name) + 2, "%s/%s", path, e->d_name);
        n++;
    }
    closedir(dir);
    qsort(names, n, sizeof(*names), by_name);
    for (size_t i = 0; i < n; i++) {
        rc |= run_path(names[i], count);
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv)
{
    size_t count = 0;
    int rc = 0;

    for (int i = 1; i < argc; i++)
        rc |= run_path(argv[i], &count);
    if (count == 0) {
        fprintf(stderr, "replay: no inputs\n");
        return 1;
    }
    printf("replayed %zu inputs\n", count);
    return rc;
}
