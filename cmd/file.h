/*
 * file.h: reading a whole input file (zone, fixture, baseline) with a size
 * cap, so that no input can make the program read without bound.
 */
#ifndef DD_FILE_H
#define DD_FILE_H

#include <stddef.h>

enum dd_file_status {
	DD_FILE_OK = 0,
	DD_FILE_CANNOT_OPEN, /* errno says why */
	DD_FILE_IS_DIR,
	DD_FILE_READ_ERROR, /* errno says why */
	DD_FILE_TOO_BIG,    /* more than `max` bytes */
};

/*
 * The whole file at `path`, NUL-terminated (the data may hold NUL bytes
 * too: *len is the truth). On failure *data is NULL.
 */
enum dd_file_status dd_file_read(const char *path, size_t max, char **data, size_t *len);

/* Why a read failed, in words (uses errno where the status says so). */
const char *dd_file_error(enum dd_file_status status);

#endif
