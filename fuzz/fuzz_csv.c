/*
 * Fuzz target: the CSV reader. Every field must be NUL-terminated, within the
 * cap, and every failure an SP_EINVAL with a position (never a crash).
 */
#include "sp_csv.h"

#include <stdint.h>

#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sp_csv csv;
    struct sp_csv_record rec;
    struct sp_err err;
    size_t total = 0;
    int rc;

    sp_csv_init(&csv, (const char *)data, size, 64);
    while ((rc = sp_csv_next(&csv, &rec, &err)) == 1) {
        for (size_t i = 0; i < rec.n_fields; i++) {
            /* Touch every byte so the sanitizers see out-of-bounds reads. */
            for (size_t j = 0; j < rec.fields[i].len; j++)
                total += (unsigned char)rec.fields[i].data[j];
            if (rec.fields[i].data[rec.fields[i].len] != '\0')
                __builtin_trap();
            if (rec.fields[i].len > 64)
                __builtin_trap();
        }
    }
    if (rc < 0 && err.code != SP_EINVAL)
        __builtin_trap();
    sp_csv_release(&csv);
    return total == (size_t)-1;
}
